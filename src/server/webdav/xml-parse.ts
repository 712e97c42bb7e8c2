/**
 * A small namespace-aware XML reader for WebDAV request bodies (PROPFIND, PROPPATCH, LOCK). Elements keep their text
 * and attributes too, because dead property values and lock owners are arbitrary XML that must come back out
 * equivalent (`serializeContent`). It rejects what is not well-formed, so a bad body is a 400 rather than a guess,
 * and it refuses DOCTYPE outright (no entity expansion, no external references to worry about).
 */
import { XmlError } from '../server-errors.js'

export interface XmlElement {
  ns: string
  local: string
  /** Element children only. */
  children: XmlElement[]
  /** Elements and decoded text, in document order. */
  content: Array<XmlElement | string>
  /** Attributes other than namespace declarations, with their namespace resolved ('' = none). */
  attrs: Array<{ ns: string; local: string; value: string }>
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace'

// Sticky: matched at `lastIndex` in the whole text, never on a copy of its rest.
const NAME = /[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/y
const ATTR = /\s+([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)\s*=\s*("[^"<]*"|'[^'<]*')/y
const END_GT = /\s*>/y
const START_CLOSE = /\s*(\/?)>/y
/** Deeper bodies are refused: serializing kept content recurses once per level. */
export const MAX_XML_DEPTH = 200

interface Open {
  qname: string
  el: XmlElement
  /** Prefixes this element declared, undone when it closes. */
  declared: string[]
}

function at(re: RegExp, text: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos
  return re.exec(text)
}

export function parseXml(text: string): XmlElement {
  let pos = 0
  let root: XmlElement | undefined
  const stack: Open[] = []
  /**
   * In-scope bindings as one stack of values per prefix: an element pushes what it declares and pops it when it
   * closes. Copying the whole scope into every element made 16,000 declarations cost 59 s (RELIABILITY.md "WebDAV
   * inputs are bounded"); this is linear in the body.
   */
  const bindings = new Map<string, string[]>([['xml', [XML_NS]]])
  const lookup = (prefix: string) => bindings.get(prefix)?.at(-1)

  while (pos < text.length) {
    const lt = text.indexOf('<', pos)
    const textRun = text.slice(pos, lt < 0 ? text.length : lt)
    if (textRun.trim() !== '' && stack.length === 0) throw new XmlError('text outside the root element')
    if (textRun !== '' && stack.length > 0) stack.at(-1)!.el.content.push(decodeText(textRun))
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
      stack.at(-1)!.el.content.push(text.slice(pos + 9, end))
      pos = end + 3
    } else if (text.startsWith('<!', pos)) {
      throw new XmlError('DOCTYPE and declarations are not accepted')
    } else if (text.startsWith('</', pos)) {
      const m = at(NAME, text, pos + 2)
      const top = stack.pop()
      if (!m || !top || m[0] !== top.qname) throw new XmlError('mismatched end tag')
      for (const prefix of top.declared) bindings.get(prefix)!.pop()
      pos += 2 + m[0].length
      const gt = at(END_GT, text, pos)
      if (!gt) throw new XmlError('malformed end tag')
      pos += gt[0].length
    } else {
      const m = at(NAME, text, pos + 1)
      if (!m) throw new XmlError('malformed start tag')
      if (stack.length === 0 && root) throw new XmlError('more than one root element')
      if (stack.length >= MAX_XML_DEPTH) throw new XmlError(`elements nested deeper than ${MAX_XML_DEPTH} levels`)
      const qname = m[0]
      pos += 1 + qname.length
      const attrs: Array<[string, string]> = []
      for (let a = at(ATTR, text, pos); a; a = at(ATTR, text, pos)) {
        attrs.push([a[1]!, a[2]!.slice(1, -1)])
        pos += a[0].length
      }
      const close = at(START_CLOSE, text, pos)
      if (!close) throw new XmlError('malformed start tag')
      pos += close[0].length
      const declared: string[] = []
      for (const [name, value] of attrs) {
        const prefix = name === 'xmlns' ? '' : name.startsWith('xmlns:') ? name.slice(6) : undefined
        if (prefix === undefined) continue
        // Namespaces in XML 1.0 §3: a prefix cannot be bound to the empty name (litmus propfind_invalid2).
        if (prefix !== '' && value === '') throw new XmlError(`prefix "${prefix}" bound to an empty namespace`)
        let values = bindings.get(prefix)
        if (!values) bindings.set(prefix, (values = []))
        values.push(value)
        declared.push(prefix)
      }
      const colon = qname.indexOf(':')
      const prefix = colon < 0 ? '' : qname.slice(0, colon)
      const ns = lookup(prefix)
      if (ns === undefined && prefix !== '') throw new XmlError(`undeclared namespace prefix "${prefix}"`)
      const el: XmlElement = {
        ns: ns ?? '',
        local: colon < 0 ? qname : qname.slice(colon + 1),
        children: [],
        content: [],
        attrs: [],
      }
      for (const [name, value] of attrs) {
        if (name === 'xmlns' || name.startsWith('xmlns:')) continue
        const c = name.indexOf(':')
        const ans = c < 0 ? '' : lookup(name.slice(0, c))
        if (ans === undefined) throw new XmlError(`undeclared namespace prefix in attribute "${name}"`)
        el.attrs.push({ ns: ans, local: c < 0 ? name : name.slice(c + 1), value: decodeText(value) })
      }
      const parent = stack.at(-1)
      if (parent) {
        parent.el.children.push(el)
        parent.el.content.push(el)
      } else root = el
      if (close[1] !== '/') stack.push({ qname, el, declared })
      else for (const p of declared) bindings.get(p)!.pop()
    }
  }
  if (stack.length > 0) throw new XmlError('unclosed element')
  if (!root) throw new XmlError('no root element')
  return root
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

/** Character and the five predefined entity references; anything else is not well-formed (no DTD is accepted). */
function decodeText(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new XmlError('a bare "&" in text')
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)
      if (!(code > 0 && code <= 0x10ffff)) throw new XmlError(`bad character reference ${whole}`)
      return String.fromCodePoint(code)
    }
    const v = ENTITIES[ref]
    if (v === undefined) throw new XmlError(`unknown entity ${whole}`)
    return v
  })
}

/**
 * An element's content as self-contained XML: every element and namespaced attribute carries its own namespace
 * declaration, so the fragment means the same wherever it is pasted (a PROPFIND answer, a lockdiscovery owner).
 */
export function serializeContent(el: XmlElement): string {
  return el.content.map((c) => (typeof c === 'string' ? escapeXml(c) : serializeElement(c))).join('')
}

export function serializeElement(el: XmlElement): string {
  const tag = el.ns === '' ? el.local : `N:${el.local}`
  let attrs = el.ns === '' ? ' xmlns=""' : ` xmlns:N="${escapeXml(el.ns)}"`
  el.attrs.forEach((a, i) => {
    if (a.ns === '') attrs += ` ${a.local}="${escapeXml(a.value)}"`
    else if (a.ns === XML_NS)
      attrs += ` xml:${a.local}="${escapeXml(a.value)}"` // the xml prefix must not be redeclared
    else attrs += ` xmlns:A${i}="${escapeXml(a.ns)}" A${i}:${a.local}="${escapeXml(a.value)}"`
  })
  const inner = serializeContent(el)
  return inner === '' ? `<${tag}${attrs}/>` : `<${tag}${attrs}>${inner}</${tag}>`
}
