/** The retry vocabulary (src/util/retry.ts); the list of retryable answers is tested in test/unit/http/retryable.test.ts. */
import { describe, expect, it } from 'vitest'
import { backoffDelay, waitToRetry } from '../../../src/util/retry.js'

describe('backoffDelay', () => {
  it('doubles from the first delay and stops at the cap', () => {
    const policy = { minDelayMs: 500, maxDelayMs: 3_000 }
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n))).toEqual([500, 1_000, 2_000, 3_000, 3_000])
  })
})

describe('waitToRetry', () => {
  it('rejects with ABORTED as soon as the signal fires, without waiting the delay out', async () => {
    const ac = new AbortController()
    const waiting = waitToRetry(3_600_000, ac.signal)
    ac.abort(new Error('user cancelled'))
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED', message: expect.stringContaining('user cancelled') })
  })

  it('rejects at once for a signal already aborted', async () => {
    await expect(waitToRetry(3_600_000, AbortSignal.abort())).rejects.toMatchObject({ code: 'ABORTED' })
  })
})
