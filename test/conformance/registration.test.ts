/**
 * How the conformance suite registers its cases (src/testing): with every capability and backend knob each case is an
 * `it`; a case whose capability the driver lacks, or whose knob the target does not give, is an `it.skip` that says
 * what it needs. Registration only: no driver is made, nothing runs.
 */
import { describe, expect, it } from 'vitest'
import { DRIVER_PROPS } from '../../src/driver/driver-props.js'
import type { DriverCapabilities, StorageDriver } from '../../src/host/types.js'
import { conformanceSuite, type ConformanceTarget, type TestRunner } from '../../src/testing/index.js'

function register(target: Partial<ConformanceTarget>) {
  const ran: string[] = []
  const skipped: string[] = []
  const runner: TestRunner = {
    describe: (_name, body) => body(),
    it: Object.assign((name: string) => void ran.push(name), { skip: (name: string) => void skipped.push(name) }),
    beforeAll: () => undefined,
    afterAll: () => undefined,
  }
  const makeDriver = (): StorageDriver => {
    throw new Error('registration must not make a driver')
  }
  conformanceSuite({ name: 't', capabilities: DRIVER_PROPS.capabilities, makeDriver, ...target }, runner)
  return { ran, skipped }
}

describe('conformance suite registration', () => {
  it('registers every case to run when the driver can do everything and the target gives every knob', () => {
    const { ran, skipped } = register({
      permanentRemoveOverrides: { remove_way: 'delete' },
      bigFolderPath: '/Many',
      videoPath: '/v.mp4',
      livpPath: '/l.livp',
      expireAccessTokens: () => undefined,
      tokenRefreshes: () => 0,
      rateLimitedCount: () => 0,
    })
    expect(skipped).toEqual([])
    expect(ran).toHaveLength(15)
    expect(ran.at(-1)).toBe('ran the whole suite without a single 429')
  })

  it('skips the cases a missing capability or knob would need, naming it', () => {
    const capabilities: DriverCapabilities = { ...DRIVER_PROPS.capabilities, copy: false, other: [] }
    const { ran, skipped } = register({ capabilities, bigFolderPath: '/Many' })
    expect(skipped).toEqual([
      'copy a file and a whole folder with each conflict mode (needs copy)',
      'remove by a driver configured to delete outright makes it disappear (needs target:permanentRemoveOverrides)',
      "other('video_preview') returns transcoding info for a video (needs other:video_preview, target:videoPath)",
      'links a .livp through its jpeg stream (needs target:livpPath)',
      'keeps working when the access token expires mid-run (one refresh, one repeat)' +
        ' (needs target:expireAccessTokens, target:tokenRefreshes)',
      'ran the whole suite without a single 429 (needs target:rateLimitedCount)',
    ])
    expect(ran).toContain('lists every entry of a folder with more than 200 (all pages)')
    expect(ran).toHaveLength(9)
  })
})
