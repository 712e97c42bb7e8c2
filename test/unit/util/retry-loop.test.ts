/** The one retry loop (src/util/retry.ts): verdicts, budgets, the deadline, and where it looks at the signal. */
import { describe, expect, it } from 'vitest'
import { retrying, type Verdict } from '../../../src/util/retry.js'

const FAST = { retries: 2, minDelayMs: 1, maxDelayMs: 2 }

function failing(times: number, result = 'ok') {
  let calls = 0
  const attempt = async () => {
    calls++
    if (calls <= times) throw new Error(`failure ${calls}`)
    return result
  }
  return { attempt, calls: () => calls }
}

describe('retrying', () => {
  it('backs off up to `retries` times, then throws the last failure (or what `exhausted` builds)', async () => {
    const twice = failing(2)
    await expect(retrying(twice.attempt, { policy: FAST, decide: () => ({ kind: 'backoff' }) })).resolves.toBe('ok')
    expect(twice.calls()).toBe(3)
    const always = failing(99)
    await expect(retrying(always.attempt, { policy: FAST, decide: () => ({ kind: 'backoff' }) })).rejects.toThrow(
      'failure 3',
    )
    expect(always.calls()).toBe(3)
    await expect(
      retrying(failing(99).attempt, {
        policy: FAST,
        decide: () => ({ kind: 'backoff' }),
        exhausted: (_e, attempts) => new Error(`gave up after ${attempts}`),
      }),
    ).rejects.toThrow('gave up after 3')
  })

  it('stops at once on a stop verdict, with the replacement error when one is given', async () => {
    const run = failing(5)
    await expect(retrying(run.attempt, { policy: FAST, decide: () => ({ kind: 'stop' }) })).rejects.toThrow('failure 1')
    expect(run.calls()).toBe(1)
    const replaced = new Error('refused')
    await expect(
      retrying(failing(5).attempt, { policy: FAST, decide: () => ({ kind: 'stop', error: replaced }) }),
    ).rejects.toBe(replaced)
  })

  it('does not count told waits or immediate repeats against the back-off budget', async () => {
    const run = failing(6)
    const verdicts: Verdict[] = [
      { kind: 'wait', ms: 1 },
      { kind: 'again' },
      { kind: 'wait', ms: 1 },
      { kind: 'again' },
      { kind: 'backoff' },
      { kind: 'backoff' },
    ]
    const seen: string[] = []
    await expect(
      retrying(run.attempt, {
        policy: FAST,
        decide: () => verdicts.shift()!,
        onRetry: ({ verdict }) => void seen.push(verdict),
      }),
    ).resolves.toBe('ok')
    expect(run.calls()).toBe(7)
    expect(seen).toEqual(['wait', 'again', 'wait', 'again', 'backoff', 'backoff'])
  })

  it('caps a told back-off at maxDelayMs and schedules the others by doubling', async () => {
    const delays: number[] = []
    await retrying(failing(3).attempt, {
      policy: { retries: 5, minDelayMs: 2, maxDelayMs: 6 },
      decide: (e) => ((e as Error).message === 'failure 1' ? { kind: 'backoff', toldMs: 60_000 } : { kind: 'backoff' }),
      onRetry: ({ delayMs }) => void delays.push(delayMs),
    })
    expect(delays).toEqual([6, 4, 6])
  })

  it('does not start a repeat that would end after the deadline', async () => {
    const run = failing(99)
    await expect(
      retrying(run.attempt, {
        policy: { retries: Infinity, minDelayMs: 20, maxDelayMs: 20, deadlineMs: 50 },
        decide: () => ({ kind: 'backoff' }),
        exhausted: () => new Error('deadline'),
      }),
    ).rejects.toThrow('deadline')
    expect(run.calls()).toBeGreaterThanOrEqual(2)
    expect(run.calls()).toBeLessThanOrEqual(4)
  })

  it('ends a wait with ABORTED when the signal fires, and starts no attempt after it', async () => {
    const ac = new AbortController()
    const run = failing(99)
    const loop = retrying(run.attempt, {
      policy: { retries: 5, minDelayMs: 3_600_000, maxDelayMs: 3_600_000 },
      decide: () => ({ kind: 'backoff' }),
      signal: ac.signal,
    })
    await new Promise((r) => setTimeout(r, 20))
    ac.abort(new Error('user cancelled'))
    await expect(loop).rejects.toMatchObject({ code: 'ABORTED' })
    expect(run.calls()).toBe(1)
  })

  it('keeps the result of an attempt that completed while the signal fired', async () => {
    const ac = new AbortController()
    const result = retrying(
      async () => {
        ac.abort(new Error('too late'))
        return 'the rotated token'
      },
      { policy: FAST, decide: () => ({ kind: 'stop' }), signal: ac.signal },
    )
    await expect(result).resolves.toBe('the rotated token')
  })
})
