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

/** The one `x-oss-expires` parser lives in util; re-exported here because upload's public surface has always had it. */
export { urlExpiresAt } from '../util/oss-expires.js'
