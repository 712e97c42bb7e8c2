/**
 * Global options shared by every command (set on the program, read with optsWithGlobals), checked; `--api-url` and
 * `$ALIYUNDRIVE_OPEN_API_URL` by `checkApiUrl`.
 */
import type { Command } from 'commander'
import { UsageError } from './exit-codes.js'

export interface GlobalOptions {
  config?: string
  apiUrl?: string
  /** In a file of several storages, the mount_path of the one to work on. */
  mount?: string
  json: boolean
  debug: boolean
}

/** The global options, checked: a command reads them first, so a bad one stops it before anything starts. */
export function globals(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals<Partial<GlobalOptions>>()
  const programMount = (cmd.parent ?? cmd).opts<{ mount?: string }>().mount
  return {
    ...(o.config ? { config: o.config } : {}),
    ...(o.apiUrl ? { apiUrl: checkApiUrl(o.apiUrl, '--api-url') } : {}),
    ...(programMount ? { mount: programMount } : {}),
    json: Boolean(o.json),
    debug: Boolean(o.debug),
  }
}

/**
 * `--api-url localhost:1234` parses as a URL with the scheme "localhost:" and then fails as a network error after
 * every retry; a missing scheme is a usage mistake, said at once.
 */
export function checkApiUrl(value: string, from: string): string {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.host) {
    throw new UsageError(
      `${from} must be an http:// or https:// URL, got "${value}" (e.g. http://${value.replace(/^[a-z]+:\/\//i, '')})`,
    )
  }
  return value
}
