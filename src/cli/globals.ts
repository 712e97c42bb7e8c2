/** Global options shared by every command (set on the program, read with optsWithGlobals). */
import type { Command } from 'commander'
import { checkApiUrl } from './api-url.js'

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
