/** Global options shared by every command (set on the program, read with optsWithGlobals). */
import type { Command } from 'commander'
import { UsageError } from './exit-codes.js'

export interface GlobalOptions {
  config?: string
  apiUrl?: string
  json: boolean
  debug: boolean
}

export function globals(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals<Partial<GlobalOptions>>()
  return {
    ...(o.config ? { config: o.config } : {}),
    ...(o.apiUrl ? { apiUrl: o.apiUrl } : {}),
    json: Boolean(o.json),
    debug: Boolean(o.debug),
  }
}

export function intOption(value: string, name: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} must be a non-negative integer, got "${value}"`)
  return Number(value)
}
