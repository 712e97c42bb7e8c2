// Finds document citations in source text ("spec §3.14", "docs/api-notes.md §3.14, §3.15", "peers-and-pains #8")
// and resolves them against the headings of the repo's markdown files, for check-citations.mjs. Plain Node, no
// dependencies.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

/** The documents outside the repo that comments used to cite, and the file in the repo that now carries their facts. */
export const LEGACY_TARGETS = {
  spec: 'docs/api-notes.md',
  contract: 'docs/contract.md',
  'host-protocols': 'docs/host-notes.md',
  'peers-and-pains': 'docs/peers-and-pains.md',
}

/** A file that was cited but never existed; its content lives in a README section instead. */
export const MOVED_FILES = { 'docs/serve.md': { file: 'README.md', heading: 'The CLI' } }

/** The file that a bare `§N` (no document named) means: every such reference in this code is to the API notes. */
export const BARE_TARGET = 'docs/api-notes.md'

export const IGNORE_MARKER = 'check-citations: ignore-file'

const ANCHOR =
  '(?<anchor>(?:/work/)?(?:\\.\\./)*shared/(?:spec|design)/[\\w.-]+\\.md|docs/[\\w.-]+\\.md|README\\.md|RELIABILITY\\.md' +
  '|CONTRIBUTING\\.md|host-protocols(?:\\.md)?|peers-and-pains(?:\\.md)?|contract(?:\\.md)?|spec' +
  '|RFC\\s+\\d+|XML\\s+1\\.0)'
const REF = '(?:§|#)\\d+[a-z]?(?:\\.\\d+)*'
const BARE_NUM = '\\d+[a-z]?(?:\\.\\d+)*'
// After the first reference: "§3.14–3.18", "§3.16/3.17", "§2.1, §2.6", "§2–§3", "§9.4 and §9.5"; bare numbers only
// after a range dash or a slash (or in a "rows 6, 11" list).
const MORE = `(?:\\s*(?:[–/-])\\s*(?:§|#)?${BARE_NUM}|\\s*(?:,|\\band\\b)\\s*${REF})*`
const ROWS = `(?<rows>\\s+rows\\s+${BARE_NUM}(?:\\s*,\\s*${BARE_NUM})*)`
const REFS = `(?<refs>\\s+${REF}${MORE})`
const SECTION = '(?<section>,?\\s+section\\s+"[^"\\n]+")'
const CITATION = new RegExp(`(?<![\\w/.-])${ANCHOR}(?:${ROWS}|${REFS}|${SECTION})?`, 'g')
const BARE = new RegExp(`(?<![\\w/.-])§${BARE_NUM}${MORE}`, 'g')

/** Comment continuation ("\n   * ", "\n  // ") blanked to spaces of the same length, so offsets stay the same. */
export function joinCommentLines(text) {
  return text.replace(/\n[ \t]*(?:\*(?!\/)|\/\/)?[ \t]*/g, (m) => ' '.repeat(m.length))
}

function lineOf(text, offset) {
  let line = 1
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

/** The references in a list like "§3.14–3.18": a number without a sign inherits the sign before it. */
function refsIn(refs, at) {
  const list = []
  let sign = '§'
  for (const r of refs.matchAll(/(§|#)?(\d+[a-z]?(?:\.\d+)*)/g)) {
    if (r[1]) sign = r[1]
    list.push({ ref: sign + r[2], offset: at + r.index, length: r[0].length })
  }
  return list
}

/** Normalises an anchor to its kind: a legacy document name, a repo file path, or 'external' (RFCs, XML spec). */
function classifyAnchor(anchor) {
  if (/^(RFC|XML)\s/.test(anchor)) return { kind: 'external' }
  const shared = /shared\/(?:spec|design)\/([\w.-]+)\.md$/.exec(anchor)
  const name = shared ? shared[1].replace(/^aliyun-open-api$/, 'spec') : anchor.replace(/\.md$/, '')
  if (name in LEGACY_TARGETS && !anchor.startsWith('docs/'))
    return { kind: 'legacy', legacy: name, target: LEGACY_TARGETS[name] }
  if (anchor in MOVED_FILES)
    return { kind: 'moved', target: MOVED_FILES[anchor].file, heading: MOVED_FILES[anchor].heading }
  return { kind: 'file', target: anchor }
}

/**
 * Every citation in `text`: { offset, length, line, anchor, anchorOffset, kind, target, refs: ['§3.14', ...] }.
 * Bare `§N` references outside any citation come back with kind 'bare'.
 */
export function findCitations(text) {
  // A file that quotes citations as data (the scripts' own tests) opts out with this marker.
  if (text.includes(IGNORE_MARKER)) return []
  const joined = joinCommentLines(text)
  const found = []
  const covered = []
  for (const m of joined.matchAll(CITATION)) {
    const { anchor, refs, rows, section } = m.groups
    const cls = classifyAnchor(anchor)
    covered.push([m.index, m.index + m[0].length])
    if (cls.kind === 'external') continue
    // A repo file named without a section ("see README.md") is a citation only if it is one of the docs.
    if (cls.kind === 'legacy' && !refs && !rows) continue
    const list = []
    if (refs) list.push(...refsIn(refs, m.index + m[0].length - refs.length))
    if (rows) {
      for (const r of rows.matchAll(/\d+[a-z]?(?:\.\d+)*/g)) {
        list.push({
          ref: '#' + r[0],
          offset: m.index + m[0].length - rows.length + r.index,
          length: r[0].length,
          row: true,
        })
      }
    }
    found.push({
      offset: m.index,
      length: m[0].length,
      line: lineOf(text, m.index),
      anchor,
      anchorOffset: m.index,
      ...cls,
      refs: list,
      rowsText: rows ?? null,
      section: section ? /"([^"]+)"/.exec(section)[1] : null,
    })
  }
  for (const m of joined.matchAll(BARE)) {
    if (covered.some(([a, b]) => m.index >= a && m.index < b)) continue
    const refs = refsIn(m[0], m.index)
    // "(contract §2 `upload`, §4 "Upload")": a § a few words after a citation, inside the same parenthesis and
    // sentence, belongs to that citation's document.
    const prev = found
      .filter((c) => c.offset + c.length <= m.index)
      .sort((a, b) => a.offset - b.offset)
      .at(-1)
    const gap = prev ? joined.slice(prev.offset + prev.length, m.index) : null
    if (prev && prev.kind !== 'bare' && gap.length <= 40 && !/[();]|\.\s/.test(gap)) {
      prev.refs.push(...refs)
      prev.length = m.index + m[0].length - prev.offset
      continue
    }
    found.push({
      offset: m.index,
      length: m[0].length,
      line: lineOf(text, m.index),
      anchor: null,
      anchorOffset: m.index,
      kind: 'bare',
      target: null,
      refs,
    })
  }
  return found.sort((a, b) => a.offset - b.offset)
}

// "issue 7", "issues 4 and 5", "issue #12", "practice 5": pointers to trackers and lists that are not in the repository,
// so a reader of the code cannot follow them.
const OUTSIDE = /(?<![\w/.-])(?:issues?\s+#?\d+|(?:architecture\s+)?practices?\s+\d+)/gi

/** References to issues or numbered practices, which live outside the repository; each with its line. */
export function findOutsideRefs(text) {
  if (text.includes(IGNORE_MARKER)) return []
  const joined = joinCommentLines(text)
  return [...joined.matchAll(OUTSIDE)].map((m) => ({ text: m[0].replace(/\s+/g, ' '), line: lineOf(text, m.index) }))
}

const headingCache = new Map()
/** The `§N` and `#N` labels found in a markdown file's headings, plus the headings' text. */
export function headingsOf(file) {
  if (headingCache.has(file)) return headingCache.get(file)
  let result = null
  if (existsSync(file)) {
    const labels = new Set()
    const titles = []
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const h = /^#{1,6}\s+(.*)$/.exec(line)
      if (!h) continue
      titles.push(h[1])
      for (const l of h[1].matchAll(/(§|#)(\d+[a-z]?(?:\.\d+)*)/g)) labels.add(l[1] + l[2])
    }
    result = { labels, titles }
  }
  headingCache.set(file, result)
  return result
}

/** Why a citation does not resolve, or null when it does. `root` is the repo root the doc paths are relative to. */
export function problemOf(citation, root) {
  if (citation.kind === 'bare') {
    const refs = citation.refs.map((r) => r.ref).join(', ')
    return `bare ${refs} names no document (write ${BARE_TARGET} ${citation.refs[0].ref})`
  }
  if (citation.kind === 'legacy')
    return `cites "${citation.anchor}", a document outside the repo (now ${citation.target})`
  if (citation.kind === 'moved')
    return `cites ${citation.anchor}, which does not exist (now ${citation.target}, "${citation.heading}")`
  const doc = headingsOf(join(root, citation.target))
  if (!doc) return `${citation.target} does not exist`
  const missing = citation.refs.filter((r) => !doc.labels.has(r.ref)).map((r) => r.ref)
  if (missing.length) return `${citation.target} has no heading ${missing.join(', ')}`
  if (citation.section && !doc.titles.some((t) => t.includes(citation.section))) {
    return `${citation.target} has no heading "${citation.section}"`
  }
  return null
}

/** The source files under `dirs` a citation may sit in. */
export function sourceFiles(dirs) {
  const out = []
  const walk = (p) => {
    if (!existsSync(p)) return
    const st = statSync(p)
    if (st.isDirectory()) {
      for (const e of readdirSync(p)) if (e !== 'node_modules' && !e.startsWith('.')) walk(join(p, e))
    } else if (/\.(?:[cm]?[jt]s|tsx)$/.test(p)) out.push(p)
  }
  for (const d of dirs) walk(d)
  return out.sort()
}

export function display(path) {
  return relative(process.cwd(), path) || path
}
