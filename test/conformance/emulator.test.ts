/** The conformance suite against the emulator, with its real rate limits (4 / 1 / 15 per second) on. */
import { afterAll, beforeAll } from 'vitest'
import { AliyundriveOpen } from '../../src/driver/aliyundrive-open.js'
import { demoSeed, startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { conformanceSuite } from './contract-suite.js'

let emu: EmulatorHandle
beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: demoSeed() })
})
afterAll(async () => {
  await emu?.close()
})

conformanceSuite({
  name: 'emulator (rate limits on)',
  makeDriver: async (overrides = {}) =>
    new AliyundriveOpen(
      emu.driverConfig(overrides),
      { apiBaseUrl: emu.apiUrl },
    ),
  // From the emulator's demo seed (src/emulator/demo-seed.ts).
  bigFolderPath: '/Many',
  videoPath: '/Videos/sample.mp4',
  livpPath: '/Pictures/live.livp',
  expireAccessTokens: () => emu.expireAccessTokens(),
  rateLimitedCount: () => {
    const s = emu.stats()
    if (s.rateLimited) console.log('429s', JSON.stringify(s))
    return s.rateLimited
  },
})
