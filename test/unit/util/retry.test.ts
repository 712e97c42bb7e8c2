/** The retry vocabulary (src/util/retry.ts) and the one list of retryable answers (src/http/retryable.ts). */
import { describe, expect, it } from 'vitest'
import { RETRYABLE_RENEWAL_CODES, isRetryableApiStatus, isRetryablePartStatus } from '../../../src/http/retryable.js'
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

describe('the retryable list', () => {
  it('repeats API calls after no answer and 5xx, never after a 4xx (429 is waited out apart)', () => {
    expect([undefined, 500, 502, 503, 504].map(isRetryableApiStatus)).toEqual([true, true, true, true, true])
    expect([400, 403, 404, 408, 409, 429].map(isRetryableApiStatus)).toEqual([false, false, false, false, false, false])
  })

  it('repeats part PUTs after no answer, 5xx, 408 and 429; not after 400, 403 or 404', () => {
    expect([0, 500, 503, 408, 429].map(isRetryablePartStatus)).toEqual([true, true, true, true, true])
    expect([400, 403, 404].map(isRetryablePartStatus)).toEqual([false, false, false])
  })

  it('repeats a renewal after upstream, network and rate-limit failures only', () => {
    expect([...RETRYABLE_RENEWAL_CODES].sort()).toEqual(['NETWORK', 'RATE_LIMITED', 'UPSTREAM'])
  })
})
