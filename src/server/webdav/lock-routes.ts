/**
 * LOCK and UNLOCK (RFC 4918 §9.10–9.11). A LOCK with a lockinfo body creates a lock (423 on a conflicting one); a
 * LOCK without a body refreshes the lock whose token the If header names. A LOCK on an unmapped URL creates an
 * empty file there (RFC 4918 §7.3), which is what Finder and Explorer rely on before their first PUT.
 */
import { DavError, DavStatus } from '../server-errors.js'
import { headerValue, readSmallBody } from '../http-io.js'
import { encodePath, nameOf, parentOf } from '../safe-path.js'
import { fromBuffer } from '../../upload/index.js'
import { DEFAULT_TIMEOUT_SEC, parseTimeout } from './lock-manager.js'
import { lockAnswerXml, parseLockInfo } from './lock-xml.js'
import { submittedTokens } from './if-header.js'
import { escapeXml } from './xml-parse.js'
import { checkIfHeader, checkLockTokens, parseIf } from './write-guard.js'
import type { DavRequest } from './write-routes.js'

const XML = { 'Content-Type': 'application/xml; charset=utf-8' }

export async function lock({ ctx, prefix, req, res, path }: DavRequest): Promise<void> {
  const body = (await readSmallBody(req)).toString('utf8')
  const timeout = parseTimeout(headerValue(req.headers.timeout))
  if (body.trim() === '') return refresh({ ctx, prefix, req, res, path }, timeout)
  const info = parseLockInfo(body)
  const depthHeader = headerValue(req.headers.depth)?.trim().toLowerCase() ?? 'infinity'
  if (depthHeader !== '0' && depthHeader !== 'infinity') throw new DavStatus(400, 'a LOCK Depth must be 0 or infinity')
  const depth = depthHeader === '0' ? '0' : 'infinity'
  await ctx.pathLock.run([path], async () => {
    let obj = await ctx.fs.tryStat(path)
    const lists = parseIf(req)
    await checkIfHeader(ctx, prefix, lists, path, obj)
    const conflicts = ctx.dav.locks.conflicts(path, depth, info.scope)
    if (conflicts.length > 0) {
      throw new DavError(
        423,
        'the resource is already locked',
        `<D:no-conflicting-lock>` +
          `${conflicts.map((l) => `<D:href>${escapeXml(prefix + encodePath(l.root))}</D:href>`).join('')}` +
          `</D:no-conflicting-lock>`,
      )
    }
    const created = !obj
    if (!obj) {
      const parent = await ctx.fs.tryStat(parentOf(path))
      if (!parent || !parent.isFolder) throw new DavStatus(409, 'the parent folder does not exist')
      checkLockTokens(ctx, prefix, lists, [{ path, membership: true, tree: false }])
      obj = await ctx.fs.upload(parent, fromBuffer(new Uint8Array(0), nameOf(path)), { conflict: 'refuse' })
    }
    // TooManyLocksError: 503 (server-errors.ts).
    const active = ctx.dav.locks.create(path, depth, info.scope, info.owner, timeout ?? DEFAULT_TIMEOUT_SEC, {
      client: req.socket.remoteAddress ?? '',
      lockNull: created,
    })
    const xml = lockAnswerXml(prefix, ctx.dav.locks, active)
    res.writeHead(created ? 201 : 200, {
      ...XML,
      'Lock-Token': `<${active.token}>`,
      'Content-Length': Buffer.byteLength(xml),
    })
    res.end(xml)
  })
}

/**
 * A body-less LOCK: the If header names the lock to refresh, which must cover the request URI
 * (RFC 4918 §9.10.2).
 */
async function refresh({ ctx, prefix, req, res, path }: DavRequest, timeout: number | undefined): Promise<void> {
  const lists = parseIf(req)
  if (!lists) throw new DavStatus(400, 'a LOCK without a body refreshes a lock and needs an If header with its token')
  const covering = ctx.dav.locks.covering(path)
  const tokens = submittedTokens(lists)
  const target = covering.find((l) => tokens.has(l.token))
  if (!target)
    throw new DavError(
      412,
      'no lock covering this resource has the token in the If header',
      '<D:lock-token-matches-request-uri/>',
    )
  const obj = await ctx.fs.tryStat(path)
  await checkIfHeader(ctx, prefix, lists, path, obj)
  // A lock-null lock becomes an ordinary one once its resource has been written (lock-manager.ts).
  ctx.dav.locks.refresh(target, timeout ?? target.requestedSec, !target.lockNull || (obj?.size ?? 0) > 0)
  const xml = lockAnswerXml(prefix, ctx.dav.locks, target)
  res.writeHead(200, { ...XML, 'Content-Length': Buffer.byteLength(xml) })
  res.end(xml)
}

export async function unlock({ ctx, req, res, path }: DavRequest): Promise<void> {
  req.resume()
  // RFC 4918 wants <token>; the npm webdav client sends the bare token, which is unambiguous, so both are accepted.
  const header = headerValue(req.headers['lock-token'])?.trim()
  const token =
    header && /^<[^<>\s]+>$/.test(header)
      ? header.slice(1, -1)
      : header && /^[^<>\s]+$/.test(header)
        ? header
        : undefined
  if (!token) throw new DavStatus(400, 'UNLOCK needs a Lock-Token header: <token>')
  const held = ctx.dav.locks.get(token)
  if (!held || !ctx.dav.locks.covering(path).includes(held)) {
    throw new DavError(409, 'no lock with this token covers the request URI', '<D:lock-token-matches-request-uri/>')
  }
  ctx.dav.locks.remove(token)
  res.writeHead(204)
  res.end()
}
