/**
 * GET/HEAD /d/<path>?sign=…: the stable download link behind OpenList's raw_url. A valid signature (or the admin's
 * credentials) is required; then 302 to a fresh AliyunDrive URL, or the bytes proxied with Range when the server runs
 * with proxy downloads or the request says `?proxy=1`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerContext } from './context.js'
import { admitDownload } from './download-access.js'
import { downloadAnswer, sendRelayRedirect } from './download-policy.js'
import { mapError } from './error-status.js'
import { drain, headerValue, sendText } from './http-io.js'
import { sendFile, sendHead } from './send-file.js'

/**
 * `/p/<path>?sign=…` is OpenList's proxy route (`g.GET("/p/*path")` and HEAD): the same signature as `/d/`, the
 * bytes always streamed through us. The web UI's text and markdown previews read files through it.
 */
export async function handleDownload(
  serverCtx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  tail: string,
  query: URLSearchParams,
  forceProxy = false,
): Promise<void> {
  drain(req)
  try {
    const admitted = admitDownload(serverCtx, req, res, tail, query)
    if (admitted === undefined) return
    const { ctx, path } = admitted
    const obj = await ctx.fs.stat(path)
    if (obj.isFolder) return sendText(res, 400, 'not a file\n')
    // The storage row's web_proxy and down_proxy_url come first (docs/host-notes.md §8.1).
    const byRow = downloadAnswer(ctx, forceProxy ? 'p' : 'd', path, query)
    if (byRow.kind === 'relay') return sendRelayRedirect(res, byRow.url)
    // A page's fetch()/XHR (Sec-Fetch-Mode: cors; the web UI's PDF viewer reads raw_url that way) cannot follow a
    // redirect to AliyunDrive, whose download host sends no CORS headers: such requests get the bytes through us.
    // Element loads (img, video: no-cors) and non-browser clients still get the redirect. Sec-Fetch-Site marks a
    // browser: Node's fetch also says Sec-Fetch-Mode: cors, but sends no Sec-Fetch-Site, and can follow the redirect.
    const pageFetch =
      headerValue(req.headers['sec-fetch-mode']) === 'cors' && req.headers['sec-fetch-site'] !== undefined
    const proxy =
      forceProxy ||
      byRow.kind === 'stream' ||
      pageFetch ||
      serverCtx.proxyDownloads ||
      query.get('proxy') === '1' ||
      query.get('proxy') === 'true'
    if (req.method === 'HEAD' && proxy) return sendHead(res, obj)
    await sendFile(req, res, ctx.fs, obj, { redirect: !proxy, proxySlots: ctx.proxySlots })
  } catch (e) {
    if (res.headersSent) return void res.destroy()
    const m = mapError(e)
    sendText(res, m.http, `${m.message}\n`)
  }
}
