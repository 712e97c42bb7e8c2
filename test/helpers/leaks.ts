/** Finding secrets in what a run printed: a logger that keeps every line, and a search of text for known secrets. */
import type { Logger } from '../../src/host/types.js'

/** A logger that keeps every line, so tests can grep the whole run for secrets. */
export function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  const keep =
    (level: string) =>
    (message: string, ...meta: unknown[]) =>
      void lines.push(`[${level}] ${message} ${meta.length ? JSON.stringify(meta) : ''}`)
  return { lines, debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') }
}

/** The secrets found in `text` (by a short, non-revealing label). */
export function leakedSecrets(text: string, secrets: Iterable<string>): string[] {
  const found: string[] = []
  for (const s of secrets) if (s && text.includes(s)) found.push(`${s.slice(0, 4)}…(${s.length} chars)`)
  return found
}
