/**
 * PROPFIND (RFC 4918 §9.1) for a class-1 server without dead properties: the live properties every client asks for
 * (OpenList's gowebdav reads displayname, resourcetype, getcontentlength, getcontenttype, getetag, getlastmodified),
 * allprop, propname, and 404 propstats for anything else. Depth 0 and 1; "infinity" is refused with 403 as the RFC
 * allows, because a recursive listing of a drive would burn the list budget for minutes.
 */
import type { Obj } from '../../host/types.js'
import { etagOf } from '../send-file.js'
import { contentTypeOf } from '../mime.js'
import { encodePath } from '../safe-path.js'
import { escapeXml, parseXml, XmlError, type XmlElement } from './xml-parse.js'

const DAV = 'DAV:'

export type PropRequest = { kind: 'allprop' } | { kind: 'propname' } | { kind: 'prop'; props: Array<{ ns: string; local: string }> }

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
function liveProps(obj: Obj): Record<string, string | undefined> {
  const name = obj.path === '/' ? '' : obj.name
  return {
    displayname: escapeXml(name),
    resourcetype: obj.isFolder ? '<D:collection/>' : '',
    getcontentlength: obj.isFolder ? undefined : String(obj.size),
    getcontenttype: obj.isFolder ? undefined : contentTypeOf(obj.name),
    getetag: obj.isFolder ? undefined : escapeXml(etagOf(obj)),
    getlastmodified: obj.modified.toUTCString(),
    creationdate: obj.created.toISOString(),
  }
}

export function hrefOf(prefix: string, obj: Obj): string {
  const path = encodePath(obj.path)
  if (obj.path === '/') return `${prefix}/`
  return obj.isFolder ? `${prefix}${path}/` : `${prefix}${path}`
}

/** An unknown property named back in a 404 propstat, in its own namespace (local names passed the XML name check). */
function emptyElement(p: { ns: string; local: string }): string {
  if (p.ns === DAV) return `<D:${p.local}/>`
  if (p.ns === '') return `<${p.local} xmlns=""/>`
  return `<X:${p.local} xmlns:X="${escapeXml(p.ns)}"/>`
}

function propstat(inner: string, status: string): string {
  return `<D:propstat><D:prop>${inner}</D:prop><D:status>HTTP/1.1 ${status}</D:status></D:propstat>`
}

export function responseFor(prefix: string, obj: Obj, request: PropRequest): string {
  const live = liveProps(obj)
  const defined = Object.entries(live).filter((e): e is [string, string] => e[1] !== undefined)
  let stats: string
  if (request.kind === 'propname') {
    stats = propstat(defined.map(([k]) => `<D:${k}/>`).join(''), '200 OK')
  } else if (request.kind === 'allprop') {
    stats = propstat(defined.map(([k, v]) => `<D:${k}>${v}</D:${k}>`).join(''), '200 OK')
  } else {
    const found: string[] = []
    const missing: string[] = []
    for (const p of request.props) {
      const value = p.ns === DAV ? live[p.local] : undefined
      if (value !== undefined) found.push(`<D:${p.local}>${value}</D:${p.local}>`)
      else missing.push(emptyElement(p))
    }
    stats = (found.length ? propstat(found.join(''), '200 OK') : '') + (missing.length ? propstat(missing.join(''), '404 Not Found') : '')
  }
  return `<D:response><D:href>${escapeXml(hrefOf(prefix, obj))}</D:href>${stats}</D:response>`
}

export function multistatus(prefix: string, objs: Obj[], request: PropRequest): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:">${objs.map((o) => responseFor(prefix, o, request)).join('')}</D:multistatus>\n`
}
