/**
 * The WebDAV methods that change the drive: PUT, DELETE, MKCOL, COPY and MOVE. Each runs under the per-path write
 * lock of every path it touches, and checks the If header, lock tokens and HTTP preconditions inside that lock,
 * so the check and the write are one step. Dead properties follow the object: a PUT that replaces a file moves
 * them to the new file id, DELETE drops them, COPY duplicates them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Obj } from '../../host/types.js'
import { bodySource, checkAnnouncedSize } from '../body-source.js'
import type { ServerContext } from '../context.js'
import { BodyDigest } from '../body-digest.js'
import { drain, hasBody, headerValue } from '../http-io.js'
import { isAnnouncedHashMismatch, mismatchedAlgorithm } from '../../upload/index.js'
import { nameOf, parentOf } from '../safe-path.js'
import { entityTag } from './conditional.js'
import { DavStatus } from '../server-errors.js'
import { transfer } from './copy-move.js'
import { announcedChecksums, announcedMtime, forgetClientTime, rememberMd5, setClientTime } from './oc-props.js'
import { guardWrite, servePathOf, type WriteTarget } from './write-guard.js'

export interface DavRequest {
  ctx: ServerContext
  prefix: string
  req: IncomingMessage
  res: ServerResponse
  /** The request URI as a serve path. */
  path: string
}

export async function put({ ctx, prefix, req, res, path }: DavRequest): Promise<void> {
  if (path === '/') throw new DavStatus(405, 'cannot PUT the mount root')
  checkAnnouncedSize(req)
  // ownCloud's PUT headers (docs/host-notes.md §6, §9): the announced SHA-1 lets rapid upload skip the bytes; it and
  // an announced MD5 are checked against the bytes received; the client's time is kept for it and sent to the API
  // as local_modified_at.
  const { sha1, md5, ignored } = announcedChecksums(headerValue(req.headers['oc-checksum']))
  if (ignored.length > 0) ctx.logger?.debug(`PUT ${path}: OC-Checksum ${ignored.join(' ')} not checked (unknown type)`)
  const mtime = announcedMtime(headerValue(req.headers['x-oc-mtime']))
  await ctx.pathLock.run([path], async () => {
    const parent = await ctx.fs.tryStat(parentOf(path))
    if (!parent || !parent.isFolder) throw new DavStatus(409, 'the parent folder does not exist')
    const existing = await ctx.fs.tryStat(path)
    await guardWrite(ctx, prefix, req, path, existing, [{ path, membership: !existing, tree: false }])
    if (existing?.isFolder) throw new DavStatus(405, 'a collection exists at this path')
    const digest = new BodyDigest({ ...(sha1 ? { sha1 } : {}), ...(md5 ? { md5 } : {}) })
    const meta = {
      name: nameOf(path),
      tap: digest.update,
      ...(sha1 ? { sha1 } : {}),
      ...(md5 ? { md5 } : {}),
      ...(mtime !== undefined ? { modified: new Date(mtime * 1000) } : {}),
    }
    // A chunked body is spooled and checked against the announced SHA-1 there, before anything is created.
    const source = await bodySource(req, meta).catch((e: unknown) => {
      throw isAnnouncedHashMismatch(e) ? checksumRefused(e) : e
    })
    let obj: Obj
    try {
      obj = await ctx.fs.upload(parent, source, { conflict: 'overwrite' })
    } catch (e) {
      if (isAnnouncedHashMismatch(e)) throw checksumRefused(e)
      throw e
    } finally {
      await source.dispose?.()
    }
    ctx.dav.quota.invalidate()
    if (sha1 && obj.hashes.sha1 !== sha1) {
      // The engine checks before completing; this is the last line: never leave a file that is not what was announced.
      await ctx.fs.remove(obj)
      throw checksumRefused('sha1')
    }
    // A PUT through a lock-null lock (guardWrite checked its token) gives it the life the client asked for.
    ctx.dav.locks.written(path)
    // The resource at this URL is the same one with new content: its dead properties stay with it.
    if (existing && existing.id !== obj.id) {
      ctx.dav.props.copy(existing.id, obj.id)
      ctx.dav.props.removeAll(existing.id)
    }
    if (mtime !== undefined) setClientTime(ctx.dav.props, obj.id, mtime)
    else if (existing) forgetClientTime(ctx.dav.props, obj.id) // new content, and no time for it: the drive's
    const received = digest.result(source.size)
    if (received && received.sha1 === obj.hashes.sha1) rememberMd5(ctx.dav.props, obj.id, received.sha1, received.md5)
    const tag = entityTag(obj)
    res.writeHead(existing ? 204 : 201, {
      'Content-Length': '0',
      ...(tag ? { ETag: tag } : {}),
      ...(mtime !== undefined ? { 'X-OC-MTime': 'accepted' } : {}),
      ...(obj.hashes.sha1 ? { 'OC-Checksum': `SHA1:${obj.hashes.sha1}` } : {}),
    })
    res.end()
  })
}

function checksumRefused(e: unknown): DavStatus {
  const type = (typeof e === 'string' ? e : mismatchedAlgorithm(e))?.toUpperCase() ?? 'checksum'
  return new DavStatus(412, `the body does not match the ${type} in its OC-Checksum header; nothing was stored`)
}

export async function remove({ ctx, prefix, req, res, path }: DavRequest): Promise<void> {
  drain(req)
  if (path === '/') throw new DavStatus(403, 'the mount root cannot be deleted')
  await ctx.pathLock.run([path], async () => {
    const obj = await ctx.fs.stat(path)
    await guardWrite(ctx, prefix, req, path, obj, [{ path, membership: true, tree: true }])
    await ctx.fs.remove(obj)
    ctx.dav.quota.invalidate()
    ctx.dav.props.removeAll(obj.id)
    ctx.dav.locks.removeTree(path)
    res.writeHead(204)
    res.end()
  })
}

export async function mkcol({ ctx, prefix, req, res, path }: DavRequest): Promise<void> {
  // RFC 4918 §9.3.1: we understand no MKCOL body.
  if (hasBody(req)) throw new DavStatus(415, 'MKCOL with a body is not supported')
  drain(req)
  await ctx.pathLock.run([path], async () => {
    const existing = path === '/' ? await ctx.fs.stat('/') : await ctx.fs.tryStat(path)
    if (existing) throw new DavStatus(405, 'something already exists at this path')
    const parent = await ctx.fs.tryStat(parentOf(path))
    if (!parent || !parent.isFolder) throw new DavStatus(409, 'the parent folder does not exist')
    await guardWrite(ctx, prefix, req, path, undefined, [{ path, membership: true, tree: false }])
    await ctx.fs.mkdirStrict(parent, nameOf(path))
    res.writeHead(201, { 'Content-Length': '0' })
    res.end()
  })
}

/**
 * An absolute Destination must name this server: the Host the request came to, or the public URL's host. Another
 * host is answered 502 and the source is kept (RFC 4918 §9.9.4); it used to be taken as a local path.
 */
function sameServer(ctx: ServerContext, req: IncomingMessage, destination: string): boolean {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(destination)
  if (!m) return true
  const norm = (h: string) =>
    h
      .replace(/^[^@]*@/, '')
      .replace(/:(80|443)$/, '')
      .toLowerCase()
  const ours = [headerValue(req.headers.host), ctx.publicUrl && new URL(ctx.publicUrl).host]
  return ours.some((h) => typeof h === 'string' && norm(h) === norm(m[1]!))
}

export async function copyMove({ ctx, prefix, req, res, path }: DavRequest): Promise<void> {
  drain(req)
  const destination = headerValue(req.headers.destination)
  if (!destination) throw new DavStatus(400, 'the Destination header is required')
  if (!sameServer(ctx, req, destination)) throw new DavStatus(502, 'the Destination is on another server')
  // Not `new URL()`: it would resolve '..' and '%2e%2e' silently; we want them seen and refused by pathFromUrl.
  const dst = servePathOf(prefix, destination)
  if (dst === undefined) throw new DavStatus(502, 'the Destination is not on this server')
  const depth = headerValue(req.headers.depth)?.trim().toLowerCase() ?? 'infinity'
  if (depth !== '0' && depth !== 'infinity') throw new DavStatus(400, 'Depth must be 0 or infinity')
  const kind = req.method === 'MOVE' ? 'move' : 'copy'
  if (kind === 'move' && depth !== 'infinity') throw new DavStatus(400, 'MOVE needs Depth infinity')
  await ctx.pathLock.run([path, dst], async () => {
    const src = await ctx.fs.stat(path)
    const before = await ctx.fs.tryStat(dst)
    const targets: WriteTarget[] = [{ path: dst, membership: true, tree: before !== undefined }]
    if (kind === 'move') targets.push({ path, membership: true, tree: true })
    await guardWrite(ctx, prefix, req, path, src, targets)
    const status = await transfer(
      ctx.fs,
      {
        kind,
        src: path,
        dst,
        overwrite: headerValue(req.headers.overwrite)?.trim().toUpperCase() !== 'F',
        shallow: depth === '0',
      },
      ctx.dav.moves,
    )
    ctx.dav.quota.invalidate()
    if (before && before.id !== src.id) ctx.dav.props.removeAll(before.id)
    if (kind === 'move') {
      // Locks belong to the URL they were taken on (RFC 4918 §7.5): a moved resource leaves them behind, and they end.
      ctx.dav.locks.removeTree(path)
    } else if (ctx.dav.props.list(src.id).length > 0) {
      const copy = await ctx.fs.tryStat(dst)
      if (copy) ctx.dav.props.copy(src.id, copy.id)
    }
    res.writeHead(status, { 'Content-Length': '0' })
    res.end()
  })
}
