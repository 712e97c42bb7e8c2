#!/usr/bin/env node
// Rewrites citations of documents outside the repo to the files in docs/ that carry the same facts, keeping the
// section numbers: "spec §3.14" → "docs/api-notes.md §3.14", "peers-and-pains rows 6, 11" → "docs/peers-and-pains.md
// #6, #11", a bare "§2.1" → "docs/api-notes.md §2.1", "docs/serve.md" → 'README.md, section "The CLI"'.
// Edits files in place and prints what it changed. Run check-citations.mjs afterwards.
// Usage: node scripts/rewrite-citations.mjs [--dry-run] [dir|file ...]   (default: src test bench soak)
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BARE_TARGET, display, findCitations, sourceFiles } from './lib/citations.mjs'

const args = process.argv.slice(2)
const dryRun = args.includes('--dry-run')
const paths = args.filter((a) => a !== '--dry-run')
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dirs = paths.length ? paths : ['src', 'test', 'bench', 'soak'].map((d) => join(root, d))

/** The edits for one citation, as [offset, length, replacement]. */
function editsFor(c) {
  if (c.kind === 'legacy') {
    const edits = [[c.anchorOffset, c.anchor.length, c.target]]
    if (c.rowsText) {
      // "rows 6, 11" → "#6, #11": drop the word, sign every number.
      const rowsAt = c.offset + c.length - c.rowsText.length
      const word = /^\s+rows/.exec(c.rowsText)[0]
      edits.push([rowsAt, word.length, ''])
      for (const r of c.refs) edits.push([r.offset, 0, '#'])
    }
    return edits
  }
  if (c.kind === 'moved') return [[c.anchorOffset, c.anchor.length, `${c.target}, section "${c.heading}"`]]
  if (c.kind === 'bare') return [[c.offset, 0, `${BARE_TARGET} `]]
  return []
}

let files = 0
let count = 0
for (const file of sourceFiles(dirs)) {
  const text = readFileSync(file, 'utf8')
  const edits = findCitations(text).flatMap((c) => editsFor(c).map((e) => ({ e, line: c.line })))
  if (!edits.length) continue
  let out = text
  for (const {
    e: [at, len, rep],
  } of [...edits].sort((a, b) => b.e[0] - a.e[0])) {
    out = out.slice(0, at) + rep + out.slice(at + len)
  }
  const lines = new Set(edits.map((x) => x.line))
  count += findCitations(text).filter((c) => c.kind !== 'file' && c.kind !== 'external').length
  files++
  console.log(`${display(file)}: ${lines.size} line(s) rewritten`)
  if (!dryRun) writeFileSync(file, out)
}
console.log(`${count} citations in ${files} files ${dryRun ? 'would be ' : ''}rewritten`)
