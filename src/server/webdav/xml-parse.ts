/**
 * A small namespace-aware XML reader for PROPFIND bodies: elements and attributes only (text is ignored, as no
 * request we accept carries meaningful text). It rejects what is not well-formed, so a bad body is a 400 rather than a
 * guess, and it refuses DOCTYPE outright (no entity expansion, no external references to worry about).
 */
export interface XmlElement {
  ns: string
  local: string
  children: XmlElement[]
}

export class XmlError extends Error {}

const NAME = /^[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?/
const ATTR = /^\s+([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)\s*=\s*("[^"<]*"|'[^'<]*')/

interface Open {
  qname: string
  el: XmlElement
  scope: Map<string, string>
}

export function parseXml(text: string): XmlElement {
  let pos = 0
  let root: XmlElement | undefined
  const stack: Open[] = []
  const rootScope = new Map<string, string>([['xml', 'http://www.w3.org/XML/1998/namespace']])

  while (pos < text.length) {
    const lt = text.indexOf('<', pos)
    const textRun = text.slice(pos, lt < 0 ? text.length : lt)
    if (textRun.trim() !== '' && stack.length === 0) throw new XmlError('text outside the root element')
    if (lt < 0) break
    pos = lt
    if (text.startsWith('<?', pos)) {
      const end = text.indexOf('?>', pos)
      if (end < 0) throw new XmlError('unterminated processing instruction')
      pos = end + 2
    } else if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos)
      if (end < 0) throw new XmlError('unterminated comment')
      pos = end + 3
    } else if (text.startsWith('<![CDATA[', pos)) {
      const end = text.indexOf(']]>', pos)
      if (end < 0 || stack.length === 0) throw new XmlError('bad CDATA section')
      pos = end + 3
    } else if (text.startsWith('<!', pos)) {
      throw new XmlError('DOCTYPE and declarations are not accepted')
    } else if (text.startsWith('</', pos)) {
      const m = NAME.exec(text.slice(pos + 2))
      const top = stack.pop()
      if (!m || !top || m[0] !== top.qname) throw new XmlError('mismatched end tag')
      pos += 2 + m[0].length
      const gt = /^\s*>/.exec(text.slice(pos))
      if (!gt) throw new XmlError('malformed end tag')
      pos += gt[0].length
    } else {
      const m = NAME.exec(text.slice(pos + 1))
      if (!m) throw new XmlError('malformed start tag')
      if (stack.length === 0 && root) throw new XmlError('more than one root element')
      const qname = m[0]
      pos += 1 + qname.length
      const attrs: Array<[string, string]> = []
      for (let a = ATTR.exec(text.slice(pos)); a; a = ATTR.exec(text.slice(pos))) {
        attrs.push([a[1]!, a[2]!.slice(1, -1)])
        pos += a[0].length
      }
      const close = /^\s*(\/?)>/.exec(text.slice(pos))
      if (!close) throw new XmlError('malformed start tag')
      pos += close[0].length
      const scope = new Map(stack.at(-1)?.scope ?? rootScope)
      for (const [name, value] of attrs) {
        if (name === 'xmlns') scope.set('', value)
        else if (name.startsWith('xmlns:')) {
          // Namespaces in XML 1.0 §3: a prefix cannot be bound to the empty name (litmus propfind_invalid2).
          if (value === '') throw new XmlError(`prefix "${name.slice(6)}" bound to an empty namespace`)
          scope.set(name.slice(6), value)
        }
      }
      const colon = qname.indexOf(':')
      const prefix = colon < 0 ? '' : qname.slice(0, colon)
      const ns = scope.get(prefix)
      if (ns === undefined && prefix !== '') throw new XmlError(`undeclared namespace prefix "${prefix}"`)
      const el: XmlElement = { ns: ns ?? '', local: colon < 0 ? qname : qname.slice(colon + 1), children: [] }
      const parent = stack.at(-1)
      if (parent) parent.el.children.push(el)
      else root = el
      if (close[1] !== '/') stack.push({ qname, el, scope })
    }
  }
  if (stack.length > 0) throw new XmlError('unclosed element')
  if (!root) throw new XmlError('no root element')
  return root
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
}
