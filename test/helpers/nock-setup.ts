import nock from 'nock'
import { afterEach, beforeAll } from 'vitest'

/** Every nock test file: no real network at all except loopback (emulator), and no leftover interceptors. */
export function useNock(): void {
  beforeAll(() => {
    nock.disableNetConnect()
    nock.enableNetConnect(/127\.0\.0\.1|localhost/)
  })
  afterEach(() => {
    nock.cleanAll()
  })
}
