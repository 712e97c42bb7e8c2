import type { RelayOptions } from './renew.js'

/** The relay options a token manager was given, without undefined keys (exactOptionalPropertyTypes). */
export function relayOptions(options: { relayUserAgent?: string | undefined }): RelayOptions {
  return options.relayUserAgent ? { userAgent: options.relayUserAgent } : {}
}
