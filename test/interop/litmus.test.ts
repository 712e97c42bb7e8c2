/** litmus (RFC 4918 conformance): the class-1 suites must pass completely (host-protocols §4). */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { PASSWORD, startStack, USER, type Stack } from '../server/stack.js'
import { requireTool, run } from './tools.js'

let s: Stack
beforeAll(async () => {
  s = await startStack()
})
afterAll(() => s?.close())

it('litmus basic, copymove and http: every test passes', async () => {
  requireTool('litmus')
  const r = await run('litmus', ['-k', s.server.davUrl, USER, PASSWORD], { env: { TESTS: 'basic copymove http' }, timeoutMs: 110_000 })
  const summaries = r.stdout.split('\n').filter((l) => l.startsWith('<- summary for'))
  expect(summaries, r.stdout).toHaveLength(3)
  for (const line of summaries) expect(line, r.stdout).toMatch(/(\d+) tests run: \1 passed, 0 failed/)
  expect(r.code, r.stdout + r.stderr).toBe(0)
}, 120_000)
