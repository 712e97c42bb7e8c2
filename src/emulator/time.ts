/** Timestamps on the wire: ISO-8601 UTC with exactly 3 fractional digits and a literal Z (docs/api-notes.md §1.4). */
export function isoMs(ms: number): string {
  return new Date(ms).toISOString()
}

/** Parses a client-sent local time; returns undefined for empty or malformed values (they are optional). */
export function parseClientTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? undefined : isoMs(ms)
}
