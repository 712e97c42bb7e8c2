/**
 * What every WebDAV write checks before touching the drive, under the per-path lock: the `If` header (412 when no
 * list holds) and the lock tokens the write needs (423 when a lock protecting a touched path was not submitted,
 * RFC 4918 §7 and §10.4.1), then the HTTP preconditions of RFC 9110 (412).
 */
import type { IncomingMessage } from 'node:http'
import type { Obj } from '../../host/types.js'
import type { ServerContext } from '../context.js'
import { headerValue } from '../http-io.js'
import { encodePath, parentOf, pathFromUrl, rawPathOf } from '../safe-path.js'
import { entityTag, evaluatePreconditions } from './conditional.js'
import { DavError, DavStatus } from '../server-errors.js'
import { evaluateIf, parseIfHeader, submittedTokens, type IfList, type ResourceState } from './if-header.js'
import type { ActiveLock } from './lock-manager.js'
import { escapeXml } from './xml-parse.js'

/** A path the write changes. `membership`: it is created or removed; `tree`: everything below it goes too. */
export interface WriteTarget {
  path: string
  membership: boolean
  tree: boolean
}

export function parseIf(req: IncomingMessage): IfList[] | undefined {
  const header = headerValue(req.headers.if)
  if (header === undefined) return undefined
  return parseIfHeader(header) // IfHeaderError: 400 (server-errors.ts)
}

/** Maps a URL in the If header or Destination to a serve path; undefined when it is not under our prefix. */
export function servePathOf(prefix: string, url: string): string | undefined {
  const path = rawPathOf(url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, ''))
  if (path !== prefix && !path.startsWith(`${prefix}/`)) return undefined
  return pathFromUrl(path.slice(prefix.length))
}

export function stateOf(ctx: ServerContext, path: string, obj: Obj | undefined): ResourceState {
  return { etag: entityTag(obj), tokens: new Set(ctx.dav.locks.covering(path).map((l) => l.token)) }
}

/** 412 unless the If header (when present) holds. Resources named in tagged lists are looked up here. */
export async function checkIfHeader(
  ctx: ServerContext,
  prefix: string,
  lists: IfList[] | undefined,
  path: string,
  obj: Obj | undefined,
): Promise<void> {
  if (!lists) return
  const tagged = new Map<string, ResourceState | undefined>()
  for (const l of lists) {
    if (l.resource === undefined || tagged.has(l.resource)) continue
    const p = servePathOf(prefix, l.resource)
    tagged.set(l.resource, p === undefined ? undefined : stateOf(ctx, p, p === path ? obj : await ctx.fs.tryStat(p)))
  }
  if (!evaluateIf(lists, stateOf(ctx, path, obj), (url) => tagged.get(url)))
    throw new DavStatus(412, 'the If header does not hold')
}

/** 423 unless, for each lock protecting a target, the client submitted its token (any one of a group of shared locks). */
export function checkLockTokens(
  ctx: ServerContext,
  prefix: string,
  lists: IfList[] | undefined,
  targets: WriteTarget[],
): void {
  const submitted = lists ? submittedTokens(lists) : new Set<string>()
  const missing: ActiveLock[] = []
  const needOneOf = (group: ActiveLock[]) => {
    if (group.length > 0 && !group.some((l) => submitted.has(l.token))) missing.push(group[0]!)
  }
  const { locks } = ctx.dav
  for (const t of targets) {
    needOneOf(locks.covering(t.path))
    // Adding or removing a member changes the parent collection, which its own locks protect.
    if (t.membership && t.path !== '/') needOneOf(locks.covering(parentOf(t.path)))
    if (t.tree) for (const l of locks.below(t.path)) needOneOf([l])
  }
  if (missing.length === 0) return
  const hrefs = [...new Set(missing.map((l) => l.root))]
    .map((r) => `<D:href>${escapeXml(prefix + encodePath(r))}</D:href>`)
    .join('')
  throw new DavError(
    423,
    'the resource is locked and no matching lock token was submitted',
    `<D:lock-token-submitted>${hrefs}</D:lock-token-submitted>`,
  )
}

/** The whole guard for a write whose request URI is `path` (currently `obj`). */
export async function guardWrite(
  ctx: ServerContext,
  prefix: string,
  req: IncomingMessage,
  path: string,
  obj: Obj | undefined,
  targets: WriteTarget[],
): Promise<void> {
  const lists = parseIf(req)
  await checkIfHeader(ctx, prefix, lists, path, obj)
  checkLockTokens(ctx, prefix, lists, targets)
  const pre = evaluatePreconditions(req, obj)
  if (pre !== 'proceed')
    throw new DavStatus(412, 'a precondition (If-Match, If-None-Match, If-Unmodified-Since) failed')
}
