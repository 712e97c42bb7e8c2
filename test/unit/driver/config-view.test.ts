/**
 * `driver.config` (docs/contract.md §2) is a view the token manager builds: it shows the rotated tokens, it is never
 * the object the host passed in, and writing into it cannot change what the driver sends or saves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DriverConfig } from '../../../src/config/index.js'
import { AliyundriveOpen } from '../../../src/driver/aliyundrive-open.js'
import { startEmulator, type EmulatorHandle } from '../../../src/emulator/index.js'

describe('driver.config', () => {
  let emu: EmulatorHandle
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, limits: false })
  })
  afterAll(async () => {
    await emu.close()
  })

  it('shows the rotated tokens, leaves the given object alone, and ignores writes', async () => {
    const given = emu.driverConfig()
    const original = given.refresh_token
    const saved: DriverConfig[] = []
    const driver = new AliyundriveOpen(given, { apiBaseUrl: emu.apiUrl, saveConfig: (c) => void saved.push(c) })
    try {
      await driver.init() // no access token yet: init renews first
      const shown = driver.config
      expect(shown.refresh_token).not.toBe(original)
      expect(shown.refresh_token).toBe(saved.at(-1)?.refresh_token)
      expect(given.refresh_token).toBe(original)
      shown.refresh_token = 'written-by-a-host'
      shown.root_folder_id = 'somewhere-else'
      expect(driver.config.refresh_token).toBe(saved.at(-1)?.refresh_token)
      expect(driver.config.root_folder_id).toBe('root')
      await expect(driver.list(driver.getRoot())).resolves.toBeInstanceOf(Array)
    } finally {
      await driver.drop()
    }
  })
})
