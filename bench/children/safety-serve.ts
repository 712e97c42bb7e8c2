/**
 * `serve` alone in its own process for the server-safety bench, so its RSS is its own: our driver over the emulator
 * process, startServer with the options given. Reports its pid (the parent reads /proc/<pid>/status), URL and token,
 * and stays up until the parent disconnects.
 */
import { startServer } from '../../src/server/index.js'
import { ourDriver } from '../lib/drivers.js'
import type { EmuInfo } from '../lib/emulator-proc.js'

const { info, refreshToken, serve } = JSON.parse(process.argv[2]!) as {
  info: EmuInfo
  refreshToken: string
  serve: Record<string, unknown>
}
const driver = ourDriver(info, refreshToken)
// Options a given tree does not know are ignored, so the same bench measures the code before and after a change.
const server = await startServer({
  driver,
  credentials: { user: 'bench', password: 'bench' },
  port: 0,
  ...(serve as object),
})
process.send!({
  pid: process.pid,
  url: server.url,
  token: server.token,
  signed: Object.fromEntries(
    ['/media/big-a.bin', '/media/big-b.bin', '/media/small.bin'].map((p) => [p, server.signedUrl(p)]),
  ),
})
process.on('disconnect', () => {
  void server.close().then(() => process.exit(0))
})
