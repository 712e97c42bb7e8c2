/**
 * A class-2 WebDAV server under a prefix (docs/host-notes.md §2–§3): OPTIONS, PROPFIND (depth 0/1), PROPPATCH,
 * GET/HEAD (Range, conditional), PUT (streamed), MKCOL, DELETE, COPY, MOVE, LOCK and UNLOCK, with Basic auth.
 * Hand-rolled on node:http rather than nephele: the driver's semantics (sizes known before upload, conflicts by
 * mode, two-step rename+move) map directly onto these few methods, and litmus's five suites are the conformance
 * gate (test/interop/litmus.test.ts). The writes live in write-routes.ts, locking in lock-routes.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { scopeFor } from '../account-scope.js'
import { closeAfterAnswer } from '../body-limits.js'
import type { ServerContext } from '../context.js'
import { mapError } from '../error-status.js'
import { sendRelayRedirect, webdavAnswer } from '../download-policy.js'
import { drain, headerValue, readSmallBody, sendText } from '../http-io.js'
import { pathFromUrl } from '../safe-path.js'
import { sendFile, sendHead } from '../send-file.js'
import { DavStatus, ServerError } from '../server-errors.js'
import { entityTag, evaluatePreconditions } from './conditional.js'
import { lock, unlock } from './lock-routes.js'
import { ocChecksum, withClientTime } from './oc-props.js'
import { proppatch } from './proppatch.js'
import { hrefOf, parsePropfind, responseFor, wantsQuota } from './propfind.js'
import { sendMultistatus } from './propfind-stream.js'
import { copyMove, mkcol, put, remove, type DavRequest } from './write-routes.js'
import { escapeXml } from './xml-parse.js'

const ALLOW = 'OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK'
export const REALM = 'aliyundrive-open'

/** Methods that change the drive, its properties or its locks: a read-only account gets 403 (README "Accounts"). */
const WRITES = new Set(['PUT', 'DELETE', 'MKCOL', 'COPY', 'MOVE', 'PROPPATCH', 'LOCK', 'UNLOCK'])

export async function handleDav(
  serverCtx: ServerContext,
  prefix: string,
  req: IncomingMessage,
  res: ServerResponse,
  tail: string,
): Promise<void> {
  let ctx = serverCtx
  try {
    const account = serverCtx.auth.checkRequest(req)
    if (!account) {
      drain(req)
      return sendText(res, 401, 'authentication required\n', {
        'WWW-Authenticate': `Basic realm="${REALM}", charset="UTF-8"`,
      })
    }
    ctx = scopeFor(serverCtx, account)
    if (account.readOnly && WRITES.has(req.method ?? '')) {
      drain(req)
      return sendText(res, 403, 'this account is read-only\n')
    }
    const path = pathFromUrl(tail)
    const r: DavRequest = { ctx, prefix, req, res, path }
    switch (req.method) {
      case 'OPTIONS':
        drain(req)
        // Class 2 (locking) is what makes Finder mount read-write and Explorer save; MS-Author-Via is Explorer's cue.
        res.writeHead(200, { DAV: '1, 2', Allow: ALLOW, 'MS-Author-Via': 'DAV', 'Content-Length': '0' })
        return void res.end()
      case 'PROPFIND':
        return await propfind(ctx, prefix, req, res, path)
      case 'PROPPATCH':
        return await proppatch(r)
      case 'GET':
      case 'HEAD':
        return await get(ctx, prefix, req, res, path)
      case 'PUT':
        return await put(r)
      case 'MKCOL':
        return await mkcol(r)
      case 'DELETE':
        return await remove(r)
      case 'COPY':
      case 'MOVE':
        return await copyMove(r)
      case 'LOCK':
        return await lock(r)
      case 'UNLOCK':
        return await unlock(r)
      default:
        drain(req)
        return sendText(res, 405, `${req.method} is not supported\n`, { Allow: ALLOW })
    }
  } catch (e) {
    const m = mapError(e)
    // A body too large to take is not read to its end: the answer closes the connection (body-limits.ts).
    if (m.closeConnection) closeAfterAnswer(req, res)
    drain(req)
    if (res.headersSent) return void res.destroy()
    // Our own refusals (a 502 Destination elsewhere, a 507 property limit) are answers, not failures to log.
    if (m.dav >= 500 && !(e instanceof ServerError)) ctx.logger?.warn(`webdav ${req.method} failed: ${m.message}`)
    sendText(res, m.dav, m.davBody, m.headers)
  }
}

async function propfind(
  ctx: ServerContext,
  prefix: string,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const request = parsePropfind((await readSmallBody(req)).toString('utf8'))
  // A missing Depth means infinity per RFC 4918; clients that omit it want a folder view, so we answer depth 1.
  const depth = headerValue(req.headers.depth)?.trim().toLowerCase() ?? '1'
  if (depth !== '0' && depth !== '1') {
    const body =
      '<?xml version="1.0" encoding="utf-8"?>\n<D:error xmlns:D="DAV:"><D:propfind-finite-depth/></D:error>\n'
    return sendText(res, 403, body, { 'Content-Type': 'application/xml; charset=utf-8' })
  }
  const obj = await ctx.fs.stat(path)
  const objs = [obj]
  if (depth === '1' && obj.isFolder) objs.push(...(await ctx.fs.list(path)).children)
  // Quota is an extra: when the drive cannot say, the listing is still answered (the quota properties get a 404).
  const quota = wantsQuota(request, obj)
    ? await ctx.dav.quota
        .get()
        .catch((e: unknown) => void ctx.logger?.warn(`webdav quota unavailable: ${mapError(e).message}`))
    : undefined
  const entry = { prefix, locks: ctx.dav.locks, props: ctx.dav.props, ...(quota ? { quota } : {}) }
  // Streamed in batches for big folders (propfind-stream.ts): no whole copy of a 10 MB answer per request.
  await sendMultistatus(res, objs, (o) => responseFor(o, request, entry))
}

async function get(
  ctx: ServerContext,
  prefix: string,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  drain(req)
  const stored = await ctx.fs.stat(path)
  const props = ctx.dav.props.list(stored.id)
  // The client's own time and the drive's SHA-1, as ownCloud sends them (docs/host-notes.md §6); no byte is read.
  const obj = withClientTime(stored, props)
  const checksum = ocChecksum(obj, props)
  if (checksum) res.setHeader('OC-Checksum', checksum)
  const pre = evaluatePreconditions(req, obj)
  if (pre === 304) {
    const tag = entityTag(obj)
    res.writeHead(304, { ...(tag ? { ETag: tag } : {}), 'Last-Modified': obj.modified.toUTCString() })
    return void res.end()
  }
  if (pre === 412) throw new DavStatus(412, 'a precondition (If-Match, If-Unmodified-Since) failed')
  if (obj.isFolder) {
    // A browser-friendly index; WebDAV clients use PROPFIND.
    const { children } = await ctx.fs.list(path)
    const rows = children.map(
      (c) => `<li><a href="${escapeXml(hrefOf(prefix, c))}">${escapeXml(c.name)}${c.isFolder ? '/' : ''}</a></li>`,
    )
    const html =
      `<!doctype html><meta charset="utf-8"><title>${escapeXml(path)}</title><h1>${escapeXml(path)}</h1>` +
      `<ul>${rows.join('')}</ul>\n`
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) })
    return void res.end(req.method === 'HEAD' ? undefined : html)
  }
  if (req.method === 'HEAD') return sendHead(res, obj)
  // A storage row's webdav_policy wins over serve's --dav-redirect (docs/host-notes.md §8, §8.1).
  const { redirect, relay } = webdavAnswer(ctx, obj.path)
  if (relay) return sendRelayRedirect(res, relay)
  await sendFile(req, res, ctx.fs, obj, { redirect, proxySlots: ctx.proxySlots })
}
