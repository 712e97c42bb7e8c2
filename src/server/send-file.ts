/**
 * Sends a file's bytes: either a 302 to a fresh AliyunDrive URL (the client downloads directly, no traffic through us)
 * or a proxied stream with Range passed through. The AliyunDrive URL comes from `driver.link`, which caches it until
 * shortly before it expires, so repeated requests do not spend the 1/s link budget.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Obj } from '../host/types.js'
import { mapError } from './error-status.js'
import { fileBytesHeaders } from './file-bytes-headers.js'
import type { FsService } from './fs-service.js'
import { sendText } from './http-io.js'
import { contentTypeOfObj } from './mime.js'
import { parseByteRange, type ByteRange } from './byte-range.js'
import { proxyResumable, type ProxySlots } from './resumable-upstream.js'
import { verifiedSmallFile } from './verified-small-file.js'

const UPSTREAM_FAILED = { status: 502, message: 'upstream download failed' }

export interface SendFileOptions {
  redirect: boolean
  proxySlots: ProxySlots
}

export function etagOf(obj: Obj): string {
  const base = obj.hashes.sha1 ?? `${obj.id}-${obj.size}-${obj.modified.getTime()}`
  return `"${base}"`
}

/** Headers describing `obj` itself, sent on HEAD and on proxied GETs; they include the file-bytes safety headers. */
export function entityHeaders(obj: Obj): Record<string, string> {
  return {
    ...fileBytesHeaders(obj.name, contentTypeOfObj(obj)),
    'Content-Type': contentTypeOfObj(obj),
    ETag: etagOf(obj),
    'Last-Modified': obj.modified.toUTCString(),
    'Accept-Ranges': 'bytes',
  }
}

export function sendHead(res: ServerResponse, obj: Obj): void {
  res.writeHead(200, { ...entityHeaders(obj), 'Content-Length': String(obj.size) })
  res.end()
}

export async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  fs: FsService,
  obj: Obj,
  opts: SendFileOptions,
): Promise<void> {
  // Proxied bytes: a slot only while they flow, resumed with Range after a pause (resumable-upstream.ts).
  if (opts.redirect) {
    // getDownloadUrl's link, never a listed one: a redirect hands bytes we cannot check (docs/api-notes.md §13.3).
    const link = await fs.link(obj)
    // no-store: the target expires; clients must come back here for a fresh one.
    res.writeHead(302, {
      Location: link.url,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'Content-Length': '0',
    })
    res.end()
    return
  }
  const range = wantedRange(req, obj)
  if (range === 'unsatisfiable')
    return sendText(res, 416, 'range not satisfiable\n', { 'Content-Range': `bytes */${obj.size}` })
  const partial = range !== undefined
  const bytes = range ?? { start: 0, end: obj.size - 1 }
  const head = () => {
    const out: Record<string, string> = {
      ...entityHeaders(obj),
      'Content-Length': String(Math.max(0, bytes.end - bytes.start + 1)),
    }
    if (partial) out['Content-Range'] = `bytes ${bytes.start}-${bytes.end}/${obj.size}`
    res.writeHead(partial ? 206 : 200, out)
  }
  if (req.method === 'HEAD' || obj.size === 0) {
    await fs.link(obj)
    head()
    return void res.end()
  }
  const abort = new AbortController()
  const onClose = () => abort.abort(new Error('client went away'))
  res.once('close', onClose)
  try {
    // A small file from its listed URL, verified before a byte is sent (docs/api-notes.md §13.3).
    const small = await verifiedSmallFile(fs, obj, opts.proxySlots, abort.signal)
    if (small) {
      head()
      return void res.end(small.subarray(bytes.start, bytes.end + 1))
    }
    await fs.link(obj)
    // `link` above was fetched before any slot is taken, so a driver error is answered with its own status; the
    // transfer asks driver.link again (cached) whenever it opens or resumes the upstream.
    await proxyResumable({
      req,
      res,
      fs,
      obj,
      slots: opts.proxySlots,
      range: bytes,
      writeHead: head,
      signal: abort.signal,
    })
  } catch (e) {
    if (abort.signal.aborted) return // the client left; nothing to answer
    if (!res.headersSent) {
      // A DriverError (link failed) or our own (no slot in time) says what went wrong; anything else is the upstream
      // fetch failing.
      const m = mapError(e, UPSTREAM_FAILED)
      sendText(res, m.http, `${m.message}\n`, m.headers)
    } else {
      res.destroy()
    }
  } finally {
    res.off('close', onClose)
  }
}

/** The Range to honour: none when absent, multi-range, or when If-Range names another version of the file. */
function wantedRange(req: IncomingMessage, obj: Obj): ByteRange | 'unsatisfiable' | undefined {
  const ifRange = req.headers['if-range']
  if (ifRange && ifRange !== etagOf(obj) && ifRange !== obj.modified.toUTCString()) return undefined
  return parseByteRange(req.headers.range, obj.size)
}
