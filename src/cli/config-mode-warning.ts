/**
 * A config file holds the refresh token, which is the whole account: warn at start when others on the machine can
 * read it (group or world bits). The file is rewritten 0600 at its next token save (src/persist/config-file-lock.ts);
 * the warning says so and how to fix it now (RELIABILITY.md "Files on disk").
 */
import { stat } from 'node:fs/promises'
import type { Logger } from '../host/types.js'

export async function warnIfConfigReadable(path: string, logger: Logger): Promise<void> {
  let mode: number
  try {
    mode = (await stat(path)).mode & 0o777
  } catch {
    return // unreadable or missing: the loader reports that with its own message
  }
  if ((mode & 0o077) === 0) return
  logger.warn(
    `the config file ${path} is readable by others (mode ${mode.toString(8).padStart(4, '0')}); it holds your ` +
      `refresh token. It is made 0600 at the next token save; run \`chmod 600 ${path}\` to fix it now.`,
  )
}
