/**
 * scripts/check-citations.mjs, run as the CLI runs it, on a scratch tree: legacy citations fail the check, and so
 * does a section that the docs do not have. Its fixtures quote citations as data, so the scripts skip this file:
 * check-citations: ignore-file
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises'
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

  it('fails on an issue number or a numbered practice, which are not in the repository', async () => {
    await writeFile(
      join(dir, 'src', 'c.ts'),
      '/**\n * Crash safety (issue 7, issues 4 and 5); the one path (architecture\n * practice 5). A tissue 3 is prose.\n */\n',
    )
    const { code, out } = await script('check-citations.mjs', '--root', repo, join(dir, 'src', 'c.ts'))
    expect(code).toBe(1)
    expect(out).toContain('c.ts:2: cites "issue 7", which is not in the repository')
    expect(out).toContain('c.ts:2: cites "issues 4", which is not in the repository')
    expect(out).toContain('c.ts:2: cites "architecture practice 5", which is not in the repository')
    expect(out).not.toContain('tissue')
    expect(out).toContain('3 citations, 0 resolve, 3 do not')
  })

  it('fails on a docs/ citation whose section heading does not exist', async () => {
    await writeFile(join(dir, 'src', 'b.ts'), '// see docs/api-notes.md §3.99 and docs/contract.md §2\n')
    const { code, out } = await script('check-citations.mjs', '--root', repo, join(dir, 'src', 'b.ts'))
    expect(code).toBe(1)
    expect(out).toContain('b.ts:1: docs/api-notes.md has no heading §3.99')
    expect(out).not.toContain('docs/contract.md has no heading')
  })
})
