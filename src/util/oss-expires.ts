/**
 * When the signature of a pre-signed OSS URL expires (ms since epoch), from its `x-oss-expires` query parameter
 * (unix seconds; docs/api-notes.md §6.3). Download links and upload part URLs carry the same parameter, so both read
 * it here. Anything but a plain decimal number of seconds, or a string that is not a URL, gives undefined: the caller
 * then falls back to what else it knows (an `expiration` field, a fixed TTL).
 */
export function urlExpiresAt(url: string): number | undefined {
  let raw: string | null
  try {
    raw = new URL(url).searchParams.get('x-oss-expires')
  } catch {
    return undefined
  }
  if (!raw || !/^\d+$/.test(raw)) return undefined
  return Number(raw) * 1000
}
