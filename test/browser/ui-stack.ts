/** `serve` with the web UI on, over the emulator's demo drive: what the browser test drives. */
import { plugin } from '../../src/plugin.js'
import { demoSeed, startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import type { StorageDriver } from '../../src/host/types.js'
import { startServer, type RunningServer } from '../../src/server/index.js'

export interface UiStack {
  emulator: EmulatorHandle
  driver: StorageDriver
  server: RunningServer
  user: string
  password: string
  close(): Promise<void>
}

export async function startUiStack(opts: { proxyDownloads?: boolean } = {}): Promise<UiStack> {
  const emulator = await startEmulator({ port: 0, seed: demoSeed() })
  const driver = plugin.create(emulator.driverConfig(), { apiBaseUrl: emulator.apiUrl })
  await driver.init()
  const user = 'admin'
  const password = 'browser-test-password'
  const server = await startServer({
    driver,
    credentials: { user, password },
    port: 0,
    ui: true,
    proxyDownloads: opts.proxyDownloads ?? false,
  })
  return {
    emulator,
    driver,
    server,
    user,
    password,
    async close() {
      await server.close()
      await driver.drop()
      await emulator.close()
    },
  }
}
