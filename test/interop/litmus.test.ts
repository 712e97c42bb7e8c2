/**
 * litmus (RFC 4918 conformance): all five suites must pass completely, and none may skip tests — litmus skips the
 * locking tests against a server that does not advertise class 2, so the test counts are asserted too.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { PASSWORD, startStack, USER, type Stack } from '../helpers/stack.js'
import { requireTool, run } from '../helpers/interop-tools.js'

let s: Stack
beforeAll(async () => {
  s = await startStack()
})
afterAll(() => s?.close())

/** Tests each suite runs when nothing is skipped (litmus 0.13). */
const EXPECTED = { basic: 16, copymove: 13, props: 30, locks: 41, http: 4 }

it('litmus basic, copymove, props, locks and http: every test runs and passes', async () => {
  requireTool('litmus')
  const r = await run('litmus', ['-k', s.server.davUrl, USER, PASSWORD], {
    env: { TESTS: Object.keys(EXPECTED).join(' ') },
    timeoutMs: 170_000,
  })
  const summaries = r.stdout.split('\n').filter((l) => l.startsWith('<- summary for'))
  expect(summaries, r.stdout).toHaveLength(5)
  for (const [suite, count] of Object.entries(EXPECTED)) {
    const line = summaries.find((l) => l.includes(`\`${suite}'`))
    expect(line, r.stdout).toMatch(new RegExp(`of ${count} tests run: ${count} passed, 0 failed`))
  }
  expect(r.stdout, r.stdout).not.toMatch(/skipped|SKIPPED/)
  expect(r.code, r.stdout + r.stderr).toBe(0)
}, 180_000)
