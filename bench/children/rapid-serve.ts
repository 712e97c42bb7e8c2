/**
 * `serve` over the resource drive in its own process, for bench/rapid.ts: the PUT it receives is compared with the
 * same body sent to bench/children/sink.ts, so the receiving server has a core of its own in both measurements (in
 * the orchestrator's process it would share one event loop with the client that sends the body).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
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
// The CPU this process has used so far, on a port of its own: what one PUT cost serve, whatever the machine's load.
const cpu = createServer((_req, res) => res.end(JSON.stringify(process.cpuUsage())))
await new Promise<void>((resolve) => cpu.listen(0, '127.0.0.1', resolve))
process.send!({ url: server.url, cpuUrl: `http://127.0.0.1:${(cpu.address() as AddressInfo).port}/` })
process.on('disconnect', () => {
  cpu.close()
  void server
    .close()
    .then(() => driver.drop())
    .then(() => process.exit(0))
})
