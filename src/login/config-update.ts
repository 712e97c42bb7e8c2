/**
 * Read-modify-write of a config file, atomically (temp file, fsync, rename) and under the config file's lock, so a
 * login and a running `serve` rotating tokens in the same file never lose each other's write. `mutate` gets the
 * current text (undefined when the file does not exist) and returns the new text; a new file is created 0600, an
 * existing one keeps its mode.
 */
import { readFile, stat } from 'node:fs/promises'
import lockfile from 'proper-lockfile'
import { writeAtomically } from '../cli/config-file.js'
import { DriverError } from '../errors/index.js'

export async function updateConfigFile(path: string, mutate: (text: string | undefined) => string): Promise<void> {
  let release: () => Promise<void>
  try {
    // realpath false: the file may not exist yet (a first login creates it).
    release = await lockfile.lock(path, { realpath: false, stale: 10_000, retries: { retries: 40, minTimeout: 25, maxTimeout: 250 } })
  } catch (e) {
    throw new DriverError('INVALID_CONFIG', `cannot lock the config file ${path}: ${(e as Error).message}`)
  }
  try {
    let text: string | undefined
    let mode = 0o600
    try {
      text = await readFile(path, 'utf8')
      mode = (await stat(path)).mode & 0o777
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new DriverError('INVALID_CONFIG', `cannot read the config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
    }
    await writeAtomically(path, mutate(text), mode)
  } finally {
    await release()
  }
}
