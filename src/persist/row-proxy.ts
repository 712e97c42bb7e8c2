/**
 * A storage row's proxy options (OpenList's `model.Proxy`: `web_proxy`, `webdav_policy`, `down_proxy_url`,
 * `disable_proxy_sign`) as `serve` honours them (docs/host-notes.md §8, §8.1). Read once at start-up: a
 * `down_proxy_url` that is not an absolute http(s) URL stops `serve` with the row and key named.
 */
import { DriverError } from '../errors/index.js'

export type WebdavPolicy = '302_redirect' | 'native_proxy' | 'use_proxy_url'

export interface RowProxy {
  /** `web_proxy`: the web UI's downloads and previews (`/d/`, fs/get's raw_url) go through the server. */
  webProxy?: boolean
  /** `webdav_policy`: how WebDAV GET answers; absent = serve's own --dav-redirect. */
  webdavPolicy?: WebdavPolicy
  /** `down_proxy_url`'s first line (OpenList uses only that one), without a trailing '/'. */
  downProxyUrl?: string
  /** `disable_proxy_sign`: the relay URL carries no `?sign=`. */
  disableProxySign?: boolean
}

const POLICIES: readonly string[] = ['302_redirect', 'native_proxy', 'use_proxy_url']

export function rowProxyOf(row: Record<string, unknown>, label: string): RowProxy {
  const out: RowProxy = {}
  if (row.web_proxy === true) out.webProxy = true
  if (typeof row.webdav_policy === 'string' && POLICIES.includes(row.webdav_policy))
    out.webdavPolicy = row.webdav_policy as WebdavPolicy
  if (row.disable_proxy_sign === true) out.disableProxySign = true
  const url = row.down_proxy_url
  if (url === undefined || url === null || url === '') return out
  const first = typeof url === 'string' ? url.split('\n')[0]!.trim() : ''
  if (!isAbsoluteHttpUrl(first))
    throw new DriverError(
      'INVALID_CONFIG',
      `${label}: down_proxy_url must be an absolute http:// or https:// URL (the relay downloads are sent to)`,
    )
  out.downProxyUrl = first.replace(/\/+$/, '')
  return out
}

function isAbsoluteHttpUrl(text: string): boolean {
  if (!/^https?:\/\//i.test(text)) return false
  try {
    return new URL(text).host !== ''
  } catch {
    return false
  }
}
