/**
 * Server-requested waits. AliyunDrive's 429 carries `x-retry-after` in **milliseconds** (docs/api-notes.md §5.2); the renew relay
 * may send a standard `Retry-After` in seconds or as an HTTP date (docs/api-notes.md §2.6).
 */
export function parseRetryAfterMs(headers: Record<string, unknown>, now = Date.now()): number | undefined {
  const aliyun = headerValue(headers, 'x-retry-after')
  if (aliyun !== undefined) {
    const ms = Number(aliyun)
    if (Number.isFinite(ms) && ms >= 0) return ms
  }
  const standard = headerValue(headers, 'retry-after')
  if (standard === undefined) return undefined
  const seconds = Number(standard)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(standard)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue
    const v: unknown = Array.isArray(value) ? value[0] : value
    // Only a string or a number can hold a delay; anything else parses to nothing either way.
    return typeof v === 'string' || typeof v === 'number' ? String(v).trim() : undefined
  }
  return undefined
}
