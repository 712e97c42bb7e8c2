/**
 * Sends a file's bytes: either a 302 to a fresh AliyunDrive URL (the client downloads directly, no traffic through us)
 * or a proxied stream with Range passed through. The AliyunDrive URL comes from `driver.link`, which caches it until
 * shortly before it expires, so repeated requests do not spend the 1/s link budget.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { isDriverError } from '../errors/index.js'
import type { Obj } from '../host/types.js'
import { mapError } from './error-status.js'
import { fileBytesHeaders } from './file-bytes-headers.js'
import type { FsService } from './fs-service.js'
import { sendText } from './http-util.js'
import { contentTypeOf } from './mime.js'
import type { Semaphore } from './semaphore.js'
import { upstreamGet } from './upstream-get.js'

export interface SendFileOptions {
  redirect: boolean
  proxySlots: Semaphore
}

export function etagOf(obj: Obj): string {
  const base = obj.hashes.sha1 ?? `${obj.id}-${obj.size}-${obj.modified.getTime()}`
  return `"${base}"`
}

/** Headers describing `obj` itself, sent on HEAD and on proxied GETs; they include the file-bytes safety headers. */
export function entityHeaders(obj: Obj): Record<string, string> {
  return {
    ...fileBytesHeaders(obj.name),
    'Content-Type': contentTypeOf(obj.name),
    ETag: etagOf(obj),
    'Last-Modified': obj.modified.toUTCString(),
    'Accept-Ranges': 'bytes',
  }
}

export function sendHead(res: ServerResponse, obj: Obj): void {
  res.writeHead(200, { ...entityHeaders(obj), 'Content-Length': String(obj.size) })
  res.end()
}

export async function sendFile(req: IncomingMessage, res: ServerResponse, fs: FsService, obj: Obj, opts: SendFileOptions): Promise<void> {
  const link = await fs.link(obj)
  if (opts.redirect) {
    // no-store: the target expires; clients must come back here for a fresh one.
    res.writeHead(302, { Location: link.url, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'Content-Length': '0' })
    res.end()
    return
  }
  const abort = new AbortController()
  const onClose = () => abort.abort(new Error('client went away'))
  res.once('close', onClose)
  let release: (() => void) | undefined
  try {
    release = await opts.proxySlots.acquire(abort.signal)
    const headers: Record<string, string> = { ...(link.headers ?? {}) }
    const range = req.headers.range
    if (range) headers.Range = range
    const upstream = await upstreamGet(link.url, headers, abort.signal)
    const status = upstream.statusCode ?? 0
    if (![200, 206, 416].includes(status)) {
      upstream.resume()
      sendText(res, 502, `upstream download failed with HTTP ${status}\n`)
      return
    }
    const out: Record<string, string> = entityHeaders(obj)
    for (const h of ['content-length', 'content-range'] as const) {
      const v = upstream.headers[h]
      if (typeof v === 'string' && v) out[h] = v
    }
    res.writeHead(status, out)
    if (req.method === 'HEAD') {
      upstream.destroy()
      res.end()
      return
    }
    await pipeline(upstream, res)
  } catch (e) {
    if (abort.signal.aborted) return // the client left; nothing to answer
    if (!res.headersSent) {
      // A DriverError (link failed) says what went wrong; anything else is the upstream fetch failing.
      const m = isDriverError(e) ? mapError(e) : { http: 502, message: 'upstream download failed' }
      sendText(res, m.http, `${m.message}\n`)
    } else {
      res.destroy()
    }
  } finally {
    release?.()
    res.off('close', onClose)
  }
}
