/**
 * `serve` over the resource drive in its own process, for bench/rapid.ts: the PUT it receives is compared with the
 * same body sent to bench/children/sink.ts, so the receiving server has a core of its own in both measurements (in
 * the orchestrator's process it would share one event loop with the client that sends the body).
 */
import { startServer } from '../../src/server/index.js'
import { ourDriver } from '../lib/drivers.js'
import type { EmuInfo } from '../lib/emulator-proc.js'

const { info, refreshToken, user, password } = JSON.parse(process.argv[2]!) as {
  info: EmuInfo
  refreshToken: string
  user: string
  password: string
}
const driver = ourDriver(info, refreshToken, { drive_type: 'resource' })
await driver.init()
const server = await startServer({ driver, credentials: { user, password }, port: 0 })
process.send!({ url: server.url })
process.on('disconnect', () => {
  void server
    .close()
    .then(() => driver.drop())
    .then(() => process.exit(0))
})
