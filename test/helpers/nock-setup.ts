import nock from 'nock'
import { afterEach, beforeAll, expect } from 'vitest'

/**
 * Every nock test file: no real network at all except loopback (emulator), and no leftover interceptors. A test that
 * leaves an expected call unmade fails: an interceptor nobody hit means the code under test skipped a call the test
 * said it makes (or the test set up more than it checks).
 */
export function useNock(): void {
  beforeAll(() => {
    nock.disableNetConnect()
    nock.enableNetConnect(/127\.0\.0\.1|localhost/)
  })
  afterEach(() => {
    const pending = nock.pendingMocks()
    nock.cleanAll()
    expect(pending, 'nock interceptors set up by this test but never called').toEqual([])
  })
}
