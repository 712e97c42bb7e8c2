/** The XML of locking (RFC 4918 §14–15): the DAV:lockinfo request body and the lockdiscovery / supportedlock values. */
import { encodePath } from '../safe-path.js'
import type { ActiveLock, LockManager, LockScope } from './lock-manager.js'
import { XmlError } from '../server-errors.js'
import { escapeXml, parseXml, serializeContent } from './xml-parse.js'

const DAV = 'DAV:'

/**
 * Largest DAV:owner kept, as serialized XML. The owner is sent back in every lock discovery of the resource: 1 MB
 * owners on 500 shared locks made one PROPFIND 520 MB (RELIABILITY.md "WebDAV inputs are bounded"). Clients send a
 * name or an href.
 */
export const MAX_OWNER_BYTES = 4096

export interface LockInfo {
  scope: LockScope
  owner: string
}

/** Parses a DAV:lockinfo body (only write locks exist in WebDAV); throws XmlError (→ 400) otherwise. */
export function parseLockInfo(body: string): LockInfo {
  const root = parseXml(body)
  if (root.ns !== DAV || root.local !== 'lockinfo') throw new XmlError('the body is not a DAV:lockinfo')
  const pick = (local: string) => root.children.find((c) => c.ns === DAV && c.local === local)
  const scopeEl = pick('lockscope')?.children[0]
  const scope =
    scopeEl?.ns === DAV && (scopeEl.local === 'exclusive' || scopeEl.local === 'shared') ? scopeEl.local : undefined
  if (!scope) throw new XmlError('lockinfo needs a lockscope of exclusive or shared')
  const type = pick('locktype')?.children[0]
  if (!type || type.ns !== DAV || type.local !== 'write') throw new XmlError('lockinfo needs locktype write')
  const ownerEl = pick('owner')
  const owner = ownerEl ? serializeContent(ownerEl) : ''
  if (Buffer.byteLength(owner) > MAX_OWNER_BYTES)
    throw new XmlError(`the lock owner is larger than ${MAX_OWNER_BYTES} bytes`)
  return { scope, owner }
}

export const SUPPORTED_LOCK =
  '<D:lockentry><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>' +
  '<D:lockentry><D:lockscope><D:shared/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>'

export function activeLockXml(prefix: string, lock: ActiveLock, remainingSec: number): string {
  return (
    `<D:activelock><D:locktype><D:write/></D:locktype><D:lockscope><D:${lock.scope}/></D:lockscope>` +
    `<D:depth>${lock.depth === '0' ? '0' : 'infinity'}</D:depth>` +
    (lock.owner ? `<D:owner>${lock.owner}</D:owner>` : '') +
    `<D:timeout>Second-${remainingSec}</D:timeout>` +
    `<D:locktoken><D:href>${escapeXml(lock.token)}</D:href></D:locktoken>` +
    `<D:lockroot><D:href>${escapeXml(prefix + encodePath(lock.root === '/' ? '/' : lock.root))}</D:href></D:lockroot></D:activelock>`
  )
}

/** The DAV:lockdiscovery value of `path`: every lock covering it. */
export function lockDiscoveryXml(prefix: string, locks: LockManager, path: string): string {
  return locks
    .covering(path)
    .map((l) => activeLockXml(prefix, l, locks.remainingSec(l)))
    .join('')
}

/** The body of a successful LOCK answer (RFC 4918 §9.10.1). */
export function lockAnswerXml(prefix: string, locks: LockManager, lock: ActiveLock): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<D:prop xmlns:D="DAV:">` +
    `<D:lockdiscovery>${activeLockXml(prefix, lock, locks.remainingSec(lock))}</D:lockdiscovery></D:prop>\n`
  )
}
