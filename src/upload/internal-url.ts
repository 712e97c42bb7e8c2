/**
 * Part URLs: the internal-upload rewrite (docs/api-notes.md §6.4) and the expiry OSS signs into each URL (docs/api-notes.md §6.3).
 */

export const PUBLIC_UPLOAD_PREFIX = 'https://cn-beijing-data.aliyundrive.net/'
export const INTERNAL_UPLOAD_PREFIX = 'http://ccp-bj29-bj-1592982087.oss-cn-beijing-internal.aliyuncs.com/'

/**
 * OpenList's "internal upload": a plain prefix replacement (note the intranet endpoint is http, not https).
 * Only the public Beijing data host is rewritten; any other URL is returned unchanged.
 */
export function toInternalUploadUrl(url: string): string {
  return url.startsWith(PUBLIC_UPLOAD_PREFIX) ? INTERNAL_UPLOAD_PREFIX + url.slice(PUBLIC_UPLOAD_PREFIX.length) : url
}

/** When the signature of a pre-signed OSS URL expires (ms since epoch), from `x-oss-expires` (unix seconds). */
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
