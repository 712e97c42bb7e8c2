/** `emu.driverConfig()`: the local-OAuth addition for a driver against this emulator, the one place tests get it from. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AliyundriveOpen } from '../../src/driver/aliyundrive-open.js'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'

let emu: EmulatorHandle
beforeAll(async () => {
  emu = await startEmulator({ limits: false })
})
afterAll(async () => {
  await emu?.close()
})

describe('emu.driverConfig', () => {
  it("names the emulator's own app, turns the online renew API off and brings a fresh token each call", () => {
    const a = emu.driverConfig()
    const b = emu.driverConfig()
    expect(a).toEqual({
      refresh_token: expect.any(String),
      use_online_api: false,
      client_id: emu.clientId,
      client_secret: emu.clientSecret,
    })
    expect(a.refresh_token).not.toBe(b.refresh_token)
  })

  it("adds overrides last, a given refresh token (another user's here) included", () => {
    const other = emu.createUser().issueRefreshToken()
    expect(emu.driverConfig({ drive_type: 'backup', refresh_token: other })).toMatchObject({
      refresh_token: other,
      drive_type: 'backup',
      use_online_api: false,
    })
  })

  it('is an addition a driver initialises with, renewing through the emulator (no relay)', async () => {
    const driver = new AliyundriveOpen(emu.driverConfig({ drive_type: 'resource' }), { apiBaseUrl: emu.apiUrl })
    try {
      const before = emu.stats().calls['/oauth/access_token'] ?? 0
      await driver.init()
      expect(emu.stats().calls['/oauth/access_token']).toBe(before + 1)
      await driver.makeDir(driver.getRoot(), 'made-here')
      expect(emu.findByPath('resource', '/made-here')?.type).toBe('folder')
    } finally {
      await driver.drop()
    }
  })
})
