/**
 * The WebDAV `If` header (RFC 4918 §10.4): lists of lock-token and entity-tag conditions, untagged (about the
 * request URI) or tagged with a resource URL. Parsing is strict: a malformed header is a 400, never ignored,
 * because a client that sent one expected it to guard its write.
 */
import { IfHeaderError } from '../server-errors.js'

export interface IfCondition {
  not: boolean
  kind: 'token' | 'etag'
  value: string
}

export interface IfList {
  /** The tagged resource's URL as sent (absolute or absolute-path), or undefined for the request URI. */
  resource: string | undefined
  conditions: IfCondition[]
}

export function parseIfHeader(header: string): IfList[] {
  const lists: IfList[] = []
  let pos = 0
  let tag: string | undefined
  let tagged: boolean | undefined
  const skipSpace = () => {
    while (pos < header.length && /\s/.test(header[pos]!)) pos++
  }
  const until = (close: string): string => {
    const end = header.indexOf(close, pos + 1)
    if (end < 0) throw new IfHeaderError(`unterminated ${header[pos]} in the If header`)
    const inner = header.slice(pos + 1, end)
    pos = end + 1
    return inner
  }
  skipSpace()
  while (pos < header.length) {
    if (header[pos] === '<') {
      if (tagged === false) throw new IfHeaderError('the If header mixes tagged and untagged lists')
      tagged = true
      tag = until('>')
    } else if (header[pos] === '(') {
      if (tagged === undefined) tagged = false
      if (tagged && tag === undefined) throw new IfHeaderError('a tagged list without its resource')
      pos++
      const conditions: IfCondition[] = []
      for (skipSpace(); header[pos] !== ')'; skipSpace()) {
        if (pos >= header.length) throw new IfHeaderError('unterminated list in the If header')
        let not = false
        if (/^not\b/i.test(header.slice(pos, pos + 4))) {
          not = true
          pos += 3
          skipSpace()
        }
        if (header[pos] === '<') conditions.push({ not, kind: 'token', value: until('>') })
        else if (header[pos] === '[') conditions.push({ not, kind: 'etag', value: until(']') })
        else throw new IfHeaderError('expected a state token <…> or an entity tag […] in the If header')
      }
      pos++
      if (conditions.length === 0) throw new IfHeaderError('an empty list in the If header')
      lists.push({ resource: tagged ? tag : undefined, conditions })
    } else {
      throw new IfHeaderError('the If header is malformed')
    }
    skipSpace()
  }
  if (lists.length === 0) throw new IfHeaderError('the If header has no list')
  return lists
}

/** Every state token named anywhere in the header: these are the lock tokens the client submits (RFC 4918 §10.4.1). */
export function submittedTokens(lists: IfList[]): Set<string> {
  const out = new Set<string>()
  for (const l of lists) for (const c of l.conditions) if (c.kind === 'token') out.add(c.value)
  return out
}

/** What a condition is checked against: the resource's current entity tag and the lock tokens that cover it. */
export interface ResourceState {
  etag: string | undefined
  tokens: ReadonlySet<string>
}

/**
 * True when, for some resource the header names, one of its lists holds (RFC 4918 §10.4.2–10.4.4). Entity tags are
 * compared strongly; `resolve` maps a tagged URL to that resource's state (undefined = not ours, never matches).
 */
export function evaluateIf(
  lists: IfList[],
  requestState: ResourceState,
  resolve: (url: string) => ResourceState | undefined,
): boolean {
  return lists.some((list) => {
    const state = list.resource === undefined ? requestState : resolve(list.resource)
    if (!state) return false
    return list.conditions.every((c) => {
      const holds = c.kind === 'token' ? state.tokens.has(c.value) : state.etag !== undefined && c.value === state.etag
      return c.not ? !holds : holds
    })
  })
}
