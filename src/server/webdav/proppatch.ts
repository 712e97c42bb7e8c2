/**
 * PROPPATCH (RFC 4918 §9.2): sets and removes dead properties, in document order, all or nothing. Live properties
 * are computed from the drive and cannot be changed: each one named gets 403 with
 * DAV:cannot-modify-protected-property, and everything else in that request 424 (Failed Dependency).
 */
import { readSmallBody } from '../http-io.js'
import { DavStatus, XmlError } from '../server-errors.js'
import { encodePath } from '../safe-path.js'
import type { PropChange } from './dead-props.js'
import { isClientTimeProp, isInternalNamespace, parseUnixSeconds } from './oc-props.js'
import { LIVE_PROPS } from './propfind.js'
import { guardWrite } from './write-guard.js'
import type { DavRequest } from './write-routes.js'
import { escapeXml, parseXml, serializeContent } from './xml-parse.js'

const DAV = 'DAV:'

/** Parses a DAV:propertyupdate body into changes in document order; throws XmlError (→ 400) otherwise. */
export function parsePropertyUpdate(body: string): PropChange[] {
  const root = parseXml(body)
  if (root.ns !== DAV || root.local !== 'propertyupdate') throw new XmlError('the body is not a DAV:propertyupdate')
  const changes: PropChange[] = []
  for (const action of root.children) {
    if (action.ns !== DAV || (action.local !== 'set' && action.local !== 'remove')) continue
    for (const prop of action.children.filter((c) => c.ns === DAV && c.local === 'prop')) {
      for (const p of prop.children) {
        if (action.local === 'set')
          changes.push({ op: 'set', prop: { ns: p.ns, local: p.local, xml: serializeContent(p) } })
        else changes.push({ op: 'remove', ns: p.ns, local: p.local })
      }
    }
  }
  if (changes.length === 0) throw new XmlError('propertyupdate names no property')
  return changes
}

function nameXml(ns: string, local: string): string {
  if (ns === DAV) return `<D:${local}/>`
  if (ns === '') return `<${local} xmlns=""/>`
  return `<X:${local} xmlns:X="${escapeXml(ns)}"/>`
}

const propstat = (props: string, status: string, error = '') =>
  `<D:propstat><D:prop>${props}</D:prop><D:status>HTTP/1.1 ${status}</D:status>${error}</D:propstat>`

export async function proppatch({ ctx, prefix, req, res, path }: DavRequest): Promise<void> {
  const changes = parsePropertyUpdate((await readSmallBody(req)).toString('utf8'))
  await ctx.pathLock.run([path], async () => {
    const obj = await ctx.fs.stat(path)
    await guardWrite(ctx, prefix, req, path, obj, [{ path, membership: false, tree: false }])
    const nameOfChange = (c: PropChange) => (c.op === 'set' ? c.prop : c)
    const isProtected = (c: PropChange) =>
      (nameOfChange(c).ns === DAV && LIVE_PROPS.has(nameOfChange(c).local)) || isInternalNamespace(nameOfChange(c).ns)
    // DAV:lastmodified becomes the file's modification time (docs/host-notes.md §6): it must be Unix seconds.
    const badTime = changes.find(
      (c) => c.op === 'set' && isClientTimeProp(c.prop.ns, c.prop.local) && parseUnixSeconds(c.prop.xml) === undefined,
    )
    if (badTime) throw new DavStatus(400, 'DAV:lastmodified must be a Unix time in seconds')
    const refused = changes.filter(isProtected)
    let stats: string
    if (refused.length > 0) {
      const others = changes.filter((c) => !isProtected(c))
      stats =
        propstat(
          refused.map((c) => nameXml(nameOfChange(c).ns, nameOfChange(c).local)).join(''),
          '403 Forbidden',
          '<D:error><D:cannot-modify-protected-property/></D:error>',
        ) +
        (others.length
          ? propstat(
              others.map((c) => nameXml(nameOfChange(c).ns, nameOfChange(c).local)).join(''),
              '424 Failed Dependency',
            )
          : '')
    } else {
      ctx.dav.props.apply(obj.id, changes) // PropLimitError: 507 (server-errors.ts)
      stats = propstat(changes.map((c) => nameXml(nameOfChange(c).ns, nameOfChange(c).local)).join(''), '200 OK')
    }
    const xml =
      `<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:">` +
      `<D:response><D:href>${escapeXml(prefix + encodePath(path))}</D:href>${stats}</D:response></D:multistatus>\n`
    res.writeHead(207, { 'Content-Type': 'application/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(xml) })
    res.end(xml)
  })
}
