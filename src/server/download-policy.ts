/**
 * Which answer a download gets, from the storage row's proxy options as OpenList decides it (docs/host-notes.md
 * §8.1): `web_proxy` sends the web UI's `/d/` links and fs/get's raw_url through the server (`/p/`), and a
 * `down_proxy_url` turns those answers, and WebDAV GET under `webdav_policy: use_proxy_url`, into a redirect to the
 * user's own relay at `<down_proxy_url><path>?sign=<sign>`. The sign is ours (link-signer.ts), so the relay can
 * fetch the bytes from this server's `/d/` with it. How the bytes are then fetched is send-file.ts's business.
 */
import type { ServerResponse } from 'node:http'
import type { RowProxy } from '../persist/row-proxy.js'
import type { ServerContext } from './context.js'
import { encodePath } from './safe-path.js'

/**
 * The relay URL for `path` (as `ctx` sees it), or undefined when the row has no `down_proxy_url`. As OpenList's
 * GenerateDownProxyURL: the relay's base, the encoded path, then `?sign=` unless `disable_proxy_sign`.
 */
export function relayUrlOf(ctx: ServerContext, proxy: RowProxy, path: string): string | undefined {
  if (!proxy.downProxyUrl) return undefined
  const sign = proxy.disableProxySign ? '' : `?sign=${encodeURIComponent(ctx.signer.sign(path))}`
  return `${proxy.downProxyUrl}${encodePath(path)}${sign}`
}

export type DownloadAnswer = { kind: 'relay'; url: string } | { kind: 'stream' } | { kind: 'default' }

/**
 * `/d/` and `/p/` (OpenList's Down and Proxy handlers). A request carrying `d` (`?d`, `?d=1`) is never sent to the
 * relay: that is how a relay fetches the bytes from here without being sent back to itself.
 * - `/d/`: a `web_proxy` row answers as `/p/` does; any other row keeps the route's own choice (`default`).
 * - `/p/`: the relay when the row has a `down_proxy_url`, else the bytes.
 */
export function downloadAnswer(
  ctx: ServerContext,
  route: 'd' | 'p',
  path: string,
  query: URLSearchParams,
): DownloadAnswer {
  const proxy = ctx.fs.proxyAt(path)
  if (route === 'd' && !proxy.webProxy) return { kind: 'default' }
  const url = query.has('d') ? undefined : relayUrlOf(ctx, proxy, path)
  return url ? { kind: 'relay', url } : { kind: 'stream' }
}

/** WebDAV GET: 302 to AliyunDrive, the relay (`use_proxy_url` with a `down_proxy_url`), or the bytes. */
export function webdavAnswer(ctx: ServerContext, path: string): { redirect: boolean; relay?: string } {
  const proxy = ctx.fs.proxyAt(path)
  if (proxy.webdavPolicy === '302_redirect') return { redirect: true }
  if (proxy.webdavPolicy === 'use_proxy_url') {
    const relay = relayUrlOf(ctx, proxy, path)
    return relay ? { redirect: false, relay } : { redirect: false }
  }
  if (proxy.webdavPolicy === 'native_proxy') return { redirect: false }
  return { redirect: ctx.davRedirect }
}

/** A 302 to the relay; not stored, so a changed row or an expiring sign takes effect at once (as OpenList's no-cache). */
export function sendRelayRedirect(res: ServerResponse, url: string): void {
  res.writeHead(302, { Location: url, 'Cache-Control': 'no-store', 'Content-Length': '0' })
  res.end()
}
