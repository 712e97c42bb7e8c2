/** The one list of retryable answers (src/http/retryable.ts) that every retry loop consults. */
import { describe, expect, it } from 'vitest'
import { RETRYABLE_RENEWAL_CODES, isRetryableApiStatus, isRetryablePartStatus } from '../../../src/http/retryable.js'

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
