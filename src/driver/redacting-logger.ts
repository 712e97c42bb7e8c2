import { redact, redactDeep } from '../errors/index.js'
import type { Logger } from '../host/types.js'

/** Wraps the host's logger so no message or metadata ever carries a token or secret in clear (docs/contract.md §3). */
export function redactingLogger(inner: Logger | undefined): Logger | undefined {
  if (!inner) return undefined
  const wrap =
    (level: keyof Logger) =>
    (message: string, ...meta: unknown[]) =>
      inner[level](redact(message), ...meta.map((m) => redactDeep(m)))
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') }
}
