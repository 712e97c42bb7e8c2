/**
 * Test stack: emulator on loopback → driver (through the plugin descriptor, as serve does) → server on port 0.
 */
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js'
import type { StorageDriver } from '../../src/host/types.js'
import { plugin } from '../../src/plugin.js'
import { startServer, type RunningServer, type ServeOptions } from '../../src/server/index.js'

export const USER = 'admin'
export const PASSWORD = 'p@ss w0rd'

export interface Stack {
  emu: EmulatorHandle
  driver: StorageDriver
  server: RunningServer
  basic: string
  close(): Promise<void>
}

export async function startStack(emuOpts: EmulatorOptions = {}, serveOpts: Partial<ServeOptions> = {}): Promise<Stack> {
  const emu = await startEmulator({ port: 0, limits: false, ...emuOpts })
  const driver = plugin.create(emu.driverConfig(), { apiBaseUrl: emu.apiUrl })
  await driver.init()
  const server = await startServer({ driver, credentials: { user: USER, password: PASSWORD }, port: 0, ...serveOpts })
  return {
    emu,
    driver,
    server,
    basic: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`,
    async close() {
      await server.close()
      await driver.drop()
      await emu.close()
    },
  }
}
