#!/usr/bin/env node
// Fails when a comment cites a document section that is not in the repo: a legacy citation ("spec §3.14",
// "contract §2", "host-protocols §1", "peers-and-pains #8"), a bare "§N", a "docs/x.md §N" whose heading is missing, or
// an issue or a numbered practice ("issue 7", "practice 5"), which live outside the repository.
// Usage: node scripts/check-citations.mjs [--root <repo root for docs/>] [dir|file ...]   (default: src test bench soak)
import { dirname, join, resolve } from 'node:path'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { display, findCitations, findOutsideRefs, problemOf, sourceFiles } from './lib/citations.mjs'

const args = process.argv.slice(2)
let root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const rootAt = args.indexOf('--root')
if (rootAt >= 0) {
  if (!args[rootAt + 1]) {
    console.error('check-citations: --root needs a directory')
    process.exit(2)
  }
  root = resolve(args[rootAt + 1])
  args.splice(rootAt, 2)
}
const dirs = args.length ? args : ['src', 'test', 'bench', 'soak'].map((d) => join(root, d))

const files = sourceFiles(dirs)
if (!files.length) {
  // Finding nothing to check is a wrong path, not a pass.
  console.error(`check-citations: no source files under ${dirs.join(', ')}`)
  process.exit(2)
}
let total = 0
const problems = []
for (const file of files) {
  for (const c of findCitations(readFileSync(file, 'utf8'))) {
    total++
    const problem = problemOf(c, root)
    if (problem) problems.push(`${display(file)}:${c.line}: ${problem}`)
  }
  for (const r of findOutsideRefs(readFileSync(file, 'utf8'))) {
    total++
    problems.push(
      `${display(file)}:${r.line}: cites "${r.text}", which is not in the repository (cite a document of it)`,
    )
  }
}
for (const p of problems) console.log(p)
console.log(`${total} citations, ${total - problems.length} resolve, ${problems.length} do not`)
process.exitCode = problems.length ? 1 : 0
