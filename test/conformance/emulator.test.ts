/**
 * The conformance suite (src/testing, exported as `aliyundrive-open/testing`) against the emulator, with its real
 * rate limits (4 / 1 / 15 per second) on.
 */
import { afterAll, beforeAll, describe, it } from 'vitest'
import { AliyundriveOpen } from '../../src/driver/aliyundrive-open.js'
import { DRIVER_PROPS } from '../../src/driver/driver-props.js'
import { demoSeed, startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { conformanceSuite } from '../../src/testing/index.js'

let emu: EmulatorHandle
beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: demoSeed() })
})
afterAll(async () => {
  await emu?.close()
})

conformanceSuite(
  {
    name: 'emulator (rate limits on)',
    capabilities: DRIVER_PROPS.capabilities,
    makeDriver: (overrides = {}) => new AliyundriveOpen(emu.driverConfig(overrides), { apiBaseUrl: emu.apiUrl }),
    permanentRemoveOverrides: { remove_way: 'delete' },
    // From the emulator's demo seed (src/emulator/demo-seed.ts).
    bigFolderPath: '/Many',
    videoPath: '/Videos/sample.mp4',
    livpPath: '/Pictures/live.livp',
    expireAccessTokens: () => emu.expireAccessTokens(),
    tokenRefreshes: (driver) => driver.stats.refreshes,
    rateLimitedCount: () => {
      const s = emu.stats()
      if (s.rateLimited) console.log('429s', JSON.stringify(s))
      return s.rateLimited
    },
  },
  { describe, it, beforeAll, afterAll },
)
