/**
 * A class-1 WebDAV server under a prefix (host-protocols §2–§3): OPTIONS, PROPFIND (depth 0/1), GET/HEAD (Range),
 * PUT (streamed), MKCOL, DELETE, COPY, MOVE, with Basic auth. Hand-rolled on node:http rather than nephele: the
 * driver's semantics (sizes known before upload, conflicts by mode, two-step rename+move) map directly onto these
 * few methods, and litmus basic/copymove/http is the conformance gate (test/interop/litmus.test.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { bodySource } from '../body-source.js'
import type { ServerContext } from '../context.js'
import { mapError } from '../error-status.js'
import { BodyTooLargeError, drain, hasBody, headerValue, readSmallBody, sendText } from '../http-util.js'
import { nameOf, parentOf, pathFromUrl, rawPathOf, UnsafePathError } from '../safe-path.js'
import { sendFile, sendHead } from '../send-file.js'
import { DavStatus, transfer } from './copy-move.js'
import { hrefOf, parsePropfind, responseFor } from './propfind.js'
import { sendMultistatus } from './propfind-stream.js'
import { escapeXml, XmlError } from './xml-parse.js'

const ALLOW = 'OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND'
export const REALM = 'aliyundrive-open'

export async function handleDav(ctx: ServerContext, prefix: string, req: IncomingMessage, res: ServerResponse, tail: string): Promise<void> {
  try {
    if (!ctx.auth.checkRequest(req)) {
      drain(req)
      return sendText(res, 401, 'authentication required\n', { 'WWW-Authenticate': `Basic realm="${REALM}", charset="UTF-8"` })
    }
    const path = pathFromUrl(tail)
    switch (req.method) {
      case 'OPTIONS':
        drain(req)
        res.writeHead(200, { DAV: '1', Allow: ALLOW, 'MS-Author-Via': 'DAV', 'Content-Length': '0' })
        return void res.end()
      case 'PROPFIND':
        return await propfind(ctx, prefix, req, res, path)
      case 'GET':
      case 'HEAD':
        return await get(ctx, prefix, req, res, path)
      case 'PUT':
        return await put(ctx, req, res, path)
      case 'MKCOL':
        return await mkcol(ctx, req, res, path)
      case 'DELETE':
        drain(req)
        if (path === '/') return sendText(res, 403, 'the mount root cannot be deleted\n')
        await ctx.fs.remove(await ctx.fs.stat(path))
        res.writeHead(204)
        return void res.end()
      case 'COPY':
      case 'MOVE':
        return await copyMove(ctx, prefix, req, res, path)
      default:
        drain(req)
        return sendText(res, 405, `${req.method} is not supported\n`, { Allow: ALLOW })
    }
  } catch (e) {
    drain(req)
    if (res.headersSent) return void res.destroy()
    if (e instanceof DavStatus) return sendText(res, e.status, `${e.message}\n`)
    if (e instanceof XmlError || e instanceof BodyTooLargeError) return sendText(res, 400, `bad request body: ${e.message}\n`)
    if (e instanceof UnsafePathError) return sendText(res, 400, `${e.message}\n`)
    const m = mapError(e)
    if (m.http >= 500) ctx.logger?.warn(`webdav ${req.method} failed: ${m.message}`)
    sendText(res, m.http, `${m.message}\n`)
  }
}

async function propfind(ctx: ServerContext, prefix: string, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const request = parsePropfind((await readSmallBody(req)).toString('utf8'))
  // A missing Depth means infinity per RFC 4918; clients that omit it want a folder view, so we answer depth 1.
  const depth = headerValue(req.headers.depth)?.trim().toLowerCase() ?? '1'
  if (depth !== '0' && depth !== '1') {
    const body = '<?xml version="1.0" encoding="utf-8"?>\n<D:error xmlns:D="DAV:"><D:propfind-finite-depth/></D:error>\n'
    return sendText(res, 403, body, { 'Content-Type': 'application/xml; charset=utf-8' })
  }
  const obj = await ctx.fs.stat(path)
  const objs = [obj]
  if (depth === '1' && obj.isFolder) objs.push(...(await ctx.fs.list(path)).children)
  // Streamed in batches for big folders (propfind-stream.ts): no whole copy of a 10 MB answer per request.
  await sendMultistatus(res, objs, (o) => responseFor(prefix, o, request))
}

async function get(ctx: ServerContext, prefix: string, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  drain(req)
  const obj = await ctx.fs.stat(path)
  if (obj.isFolder) {
    // A browser-friendly index; WebDAV clients use PROPFIND.
    const { children } = await ctx.fs.list(path)
    const rows = children.map((c) => `<li><a href="${escapeXml(hrefOf(prefix, c))}">${escapeXml(c.name)}${c.isFolder ? '/' : ''}</a></li>`)
    const html = `<!doctype html><meta charset="utf-8"><title>${escapeXml(path)}</title><h1>${escapeXml(path)}</h1><ul>${rows.join('')}</ul>\n`
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) })
    return void res.end(req.method === 'HEAD' ? undefined : html)
  }
  if (req.method === 'HEAD') return sendHead(res, obj)
  await sendFile(req, res, ctx.fs, obj, { redirect: ctx.davRedirect, proxySlots: ctx.proxySlots })
}

async function put(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  if (path === '/') throw new DavStatus(405, 'cannot PUT the mount root')
  const parent = await ctx.fs.tryStat(parentOf(path))
  if (!parent || !parent.isFolder) throw new DavStatus(409, 'the parent folder does not exist')
  const existing = await ctx.fs.tryStat(path)
  if (existing?.isFolder) throw new DavStatus(405, 'a collection exists at this path')
  const source = await bodySource(req, { name: nameOf(path) })
  try {
    await ctx.fs.upload(parent, source, { conflict: 'overwrite' })
  } finally {
    await source.dispose?.()
  }
  res.writeHead(existing ? 204 : 201, { 'Content-Length': '0' })
  res.end()
}

async function mkcol(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  // RFC 4918 §9.3.1: we understand no MKCOL body.
  if (hasBody(req)) throw new DavStatus(415, 'MKCOL with a body is not supported')
  drain(req)
  if (path === '/' || (await ctx.fs.tryStat(path))) throw new DavStatus(405, 'something already exists at this path')
  const parent = await ctx.fs.tryStat(parentOf(path))
  if (!parent || !parent.isFolder) throw new DavStatus(409, 'the parent folder does not exist')
  await ctx.fs.mkdirStrict(parent, nameOf(path))
  res.writeHead(201, { 'Content-Length': '0' })
  res.end()
}

async function copyMove(ctx: ServerContext, prefix: string, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  drain(req)
  const destination = headerValue(req.headers.destination)
  if (!destination) throw new DavStatus(400, 'the Destination header is required')
  // Not `new URL()`: it would resolve '..' and '%2e%2e' silently; we want them seen and refused by pathFromUrl.
  const destPath = rawPathOf(destination.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, ''))
  if (!destPath.startsWith(`${prefix}/`)) throw new DavStatus(502, 'the Destination is not on this server')
  const depth = headerValue(req.headers.depth)?.trim().toLowerCase() ?? 'infinity'
  if (depth !== '0' && depth !== 'infinity') throw new DavStatus(400, 'Depth must be 0 or infinity')
  if (req.method === 'MOVE' && depth !== 'infinity') throw new DavStatus(400, 'MOVE needs Depth infinity')
  const status = await transfer(ctx.fs, {
    kind: req.method === 'MOVE' ? 'move' : 'copy',
    src: path,
    dst: pathFromUrl(destPath.slice(prefix.length)),
    overwrite: headerValue(req.headers.overwrite)?.trim().toUpperCase() !== 'F',
    shallow: depth === '0',
  })
  res.writeHead(status, { 'Content-Length': '0' })
  res.end()
}
