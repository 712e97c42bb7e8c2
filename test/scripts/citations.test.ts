/**
 * scripts/check-citations.mjs and scripts/rewrite-citations.mjs, run as the CLI runs them, on a scratch tree:
 * legacy citations fail the check, the rewrite turns them into docs/ citations that pass, and a section that the
 * docs do not have still fails after the rewrite. Its fixtures quote citations as data, so the scripts skip this file:
 * check-citations: ignore-file
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const repo = join(import.meta.dirname, '..', '..')

async function script(name: string, ...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [join(repo, 'scripts', name), ...args])
    return { code: 0, out: stdout }
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string }
    return { code: err.code, out: err.stdout + err.stderr }
  }
}

const SOURCE = `/**
 * Refresh tokens are single-use (spec §2.1, §2.6); two mounts would burn each other's (peers-and-pains
 * #8). Moves (§3.14–3.15) and the contract (contract §2 \`upload\`, §4 "Upload"; peers-and-pains rows 6, 11).
 * Exit codes are documented in docs/serve.md. Not ours: RFC 4918 §9.8.5, RFC 9110
 * §14.2. Plain prose about a spec without a section is no citation.
 */
export const x = 1
`

describe('citation scripts', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'citations-'))
    await mkdir(join(dir, 'src'))
    await writeFile(join(dir, 'src', 'a.ts'), SOURCE)
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('fails on legacy and bare citations, naming each with its line', async () => {
    const { code, out } = await script('check-citations.mjs', '--root', repo, join(dir, 'src'))
    expect(code).toBe(1)
    expect(out).toContain('a.ts:2: cites "spec", a document outside the repo (now docs/api-notes.md)')
    expect(out).toContain('a.ts:2: cites "peers-and-pains", a document outside the repo (now docs/peers-and-pains.md)')
    expect(out).toContain('a.ts:3: bare §3.14, §3.15 names no document')
    expect(out).toContain('a.ts:4: cites docs/serve.md, which does not exist')
    expect(out).not.toMatch(/RFC|§9\.8\.5|§14\.2/)
    expect(out).toContain('6 citations, 0 resolve, 6 do not')
  })

  it('rewrites them to docs/ citations that resolve, leaving RFC sections alone', async () => {
    const rewrite = await script('rewrite-citations.mjs', join(dir, 'src'))
    expect(rewrite.code).toBe(0)
    const text = await readFile(join(dir, 'src', 'a.ts'), 'utf8')
    expect(text).toContain('(docs/api-notes.md §2.1, §2.6)')
    expect(text).toContain('(docs/peers-and-pains.md\n * #8)')
    expect(text).toContain('Moves (docs/api-notes.md §3.14–3.15)')
    expect(text).toContain('(docs/contract.md §2 `upload`, §4 "Upload"; docs/peers-and-pains.md #6, #11)')
    expect(text).toContain('documented in README.md, section "The CLI".')
    expect(text).toContain('RFC 4918 §9.8.5, RFC 9110\n * §14.2')
    const check = await script('check-citations.mjs', '--root', repo, join(dir, 'src'))
    expect(check.out).toContain('6 citations, 6 resolve, 0 do not')
    expect(check.code).toBe(0)
  })

  it('fails on a docs/ citation whose section heading does not exist', async () => {
    await writeFile(join(dir, 'src', 'b.ts'), '// see docs/api-notes.md §3.99 and docs/contract.md §2\n')
    const { code, out } = await script('check-citations.mjs', '--root', repo, join(dir, 'src', 'b.ts'))
    expect(code).toBe(1)
    expect(out).toContain('b.ts:1: docs/api-notes.md has no heading §3.99')
    expect(out).not.toContain('docs/contract.md has no heading')
  })
})
