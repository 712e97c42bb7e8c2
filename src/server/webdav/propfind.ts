/**
 * PROPFIND (RFC 4918 §9.1): the live properties every client asks for (OpenList's gowebdav reads displayname,
 * resourcetype, getcontentlength, getcontenttype, getetag, getlastmodified), lock discovery, RFC 4331 quota when
 * named, dead properties from PROPPATCH, allprop, propname, and 404 propstats for anything else. Depth 0 and 1;
 * "infinity" is refused with 403 as the RFC allows, because a recursive listing of a drive would burn the list
 * budget for minutes. `responseFor` renders one entry, so a listing can be written entry by entry.
 */
import type { Obj, StorageDetails } from '../../host/types.js'
import { contentTypeOfObj } from '../mime.js'
import { encodePath } from '../safe-path.js'
import { entityTag } from './conditional.js'
import type { DeadProp, DeadPropsStore } from './dead-props.js'
import type { LockManager } from './lock-manager.js'
import { lockDiscoveryXml, SUPPORTED_LOCK } from './lock-xml.js'
import { isInternalNamespace, OC_NS, ocElement, ocLiveProps, withClientTime } from './oc-props.js'
import { XmlError } from '../server-errors.js'
import { escapeXml, parseXml, type XmlElement } from './xml-parse.js'

/** What rendering an entry needs besides the object: locks and dead properties, and quota when it was asked for. */
export interface EntryContext {
  prefix: string
  locks: LockManager
  props: DeadPropsStore
  quota?: StorageDetails
}

/** Live properties a client may read but never set or remove (PROPPATCH answers 403 for each). */
export const LIVE_PROPS = new Set([
  'displayname',
  'resourcetype',
  'getcontentlength',
  'getcontenttype',
  'getetag',
  'getlastmodified',
  'creationdate',
  'lockdiscovery',
  'supportedlock',
  'quota-available-bytes',
  'quota-used-bytes',
])
const QUOTA_PROPS = ['quota-available-bytes', 'quota-used-bytes']

/**
 * True when the answer carries quota (RFC 4331, defined on collections), so the caller fetches the figures first:
 * when named, or for allprop on a collection, because clients such as the npm `webdav` package's getQuota() read
 * them from a body-less PROPFIND.
 */
export function wantsQuota(request: PropRequest, target: Obj): boolean {
  if (!target.isFolder) return false
  return (
    request.kind === 'allprop' ||
    (request.kind === 'prop' && request.props.some((p) => p.ns === DAV && QUOTA_PROPS.includes(p.local)))
  )
}

const DAV = 'DAV:'

export type PropRequest =
  { kind: 'allprop' } | { kind: 'propname' } | { kind: 'prop'; props: Array<{ ns: string; local: string }> }

/** Parses the request body; throws XmlError (→ 400) when it is not a valid propfind. */
export function parsePropfind(body: string): PropRequest {
  if (body.trim() === '') return { kind: 'allprop' }
  const root = parseXml(body)
  if (root.ns !== DAV || root.local !== 'propfind') throw new XmlError('the body is not a DAV:propfind')
  const pick = (local: string): XmlElement | undefined => root.children.find((c) => c.ns === DAV && c.local === local)
  if (pick('propname')) return { kind: 'propname' }
  const prop = pick('prop')
  if (prop) return { kind: 'prop', props: prop.children.map((c) => ({ ns: c.ns, local: c.local })) }
  if (pick('allprop')) return { kind: 'allprop' }
  throw new XmlError('propfind needs allprop, propname or prop')
}

/** The live DAV: properties of an object, as XML fragments (undefined = not defined for this object). */
function liveProps(obj: Obj, ctx: EntryContext): Record<string, string | undefined> {
  const name = obj.path === '/' ? '' : obj.name
  const tag = entityTag(obj)
  return {
    displayname: escapeXml(name),
    resourcetype: obj.isFolder ? '<D:collection/>' : '',
    getcontentlength: obj.isFolder ? undefined : String(obj.size),
    getcontenttype: obj.isFolder ? undefined : contentTypeOfObj(obj),
    getetag: tag === undefined ? undefined : escapeXml(tag),
    getlastmodified: obj.modified.toUTCString(),
    creationdate: obj.created.toISOString(),
    lockdiscovery: lockDiscoveryXml(ctx.prefix, ctx.locks, obj.path),
    supportedlock: SUPPORTED_LOCK,
  }
}

/** Quota values of a collection, when the caller fetched them. */
function quotaProps(obj: Obj, ctx: EntryContext): Record<string, string | undefined> {
  if (!ctx.quota || !obj.isFolder) return {}
  const { totalSpace, usedSpace } = ctx.quota
  return { 'quota-available-bytes': String(Math.max(0, totalSpace - usedSpace)), 'quota-used-bytes': String(usedSpace) }
}

/** A dead property as an element; `value` undefined gives the empty element (propname, 404s). */
function deadElement(p: { ns: string; local: string }, value?: string): string {
  if (p.ns === DAV) return value ? `<D:${p.local}>${value}</D:${p.local}>` : `<D:${p.local}/>`
  const open = p.ns === '' ? `${p.local} xmlns=""` : `X:${p.local} xmlns:X="${escapeXml(p.ns)}"`
  const close = p.ns === '' ? p.local : `X:${p.local}`
  return value ? `<${open}>${value}</${close}>` : `<${open}/>`
}

export function hrefOf(prefix: string, obj: Obj): string {
  const path = encodePath(obj.path)
  if (obj.path === '/') return `${prefix}/`
  return obj.isFolder ? `${prefix}${path}/` : `${prefix}${path}`
}

function propstat(inner: string, status: string): string {
  return `<D:propstat><D:prop>${inner}</D:prop><D:status>HTTP/1.1 ${status}</D:status></D:propstat>`
}

/** One entry of the multistatus: a function of one object, so a streaming writer can call it per entry. */
export function responseFor(stored: Obj, request: PropRequest, ctx: EntryContext): string {
  const all: DeadProp[] = ctx.props.list(stored.id)
  // A client's own modification time, when it gave one, is the one it sees (docs/host-notes.md §6).
  const obj = withClientTime(stored, all)
  const dead = all.filter((p) => !isInternalNamespace(p.ns))
  const live = { ...liveProps(obj, ctx), ...quotaProps(obj, ctx) }
  const oc = ocLiveProps(obj, all)
  const defined = Object.entries(live).filter((e): e is [string, string] => e[1] !== undefined)
  const ocDefined = Object.entries(oc).filter((e): e is [string, string] => e[1] !== undefined)
  let stats: string
  if (request.kind === 'propname') {
    stats = propstat(
      defined.map(([k]) => `<D:${k}/>`).join('') +
        ocDefined.map(([k]) => ocElement(k)).join('') +
        dead.map((p) => deadElement(p)).join(''),
      '200 OK',
    )
  } else if (request.kind === 'allprop') {
    stats = propstat(
      defined.map(([k, v]) => `<D:${k}>${v}</D:${k}>`).join('') +
        ocDefined.map(([k, v]) => ocElement(k, v)).join('') +
        dead.map((p) => deadElement(p, p.xml)).join(''),
      '200 OK',
    )
  } else {
    const found: string[] = []
    const missing: string[] = []
    for (const p of request.props) {
      const value = p.ns === DAV ? live[p.local] : undefined
      const ocValue = p.ns === OC_NS ? oc[p.local] : undefined
      const stored =
        value !== undefined || ocValue !== undefined
          ? undefined
          : dead.find((d) => d.ns === p.ns && d.local === p.local)
      if (value !== undefined) found.push(`<D:${p.local}>${value}</D:${p.local}>`)
      else if (ocValue !== undefined) found.push(ocElement(p.local, ocValue))
      else if (stored) found.push(deadElement(stored, stored.xml))
      else missing.push(deadElement(p))
    }
    stats =
      (found.length ? propstat(found.join(''), '200 OK') : '') +
      (missing.length ? propstat(missing.join(''), '404 Not Found') : '')
  }
  return `<D:response><D:href>${escapeXml(hrefOf(ctx.prefix, obj))}</D:href>${stats}</D:response>`
}

export const MULTISTATUS_OPEN = '<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:">'
export const MULTISTATUS_CLOSE = '</D:multistatus>\n'
