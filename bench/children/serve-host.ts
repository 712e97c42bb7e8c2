/**
 * `serve` in its own process (so proxying costs its own CPU, not the download client's): our driver over the
 * emulator, the file uploaded with fromFile, then startServer. Reports the URLs the client needs and stays up until
 * the parent disconnects.
 */
import { fromFile } from '../../src/index.js'
import { startServer } from '../../src/server/index.js'
import { ourDriver } from '../lib/drivers.js'
import type { EmuInfo } from '../lib/emulator-proc.js'

const { info, refreshToken, file } = JSON.parse(process.argv[2]!) as {
  info: EmuInfo
  refreshToken: string
  file: string
}
const driver = ourDriver(info, refreshToken)
const obj = await driver.upload(driver.getRoot(), fromFile(file, { name: 'serve.bin' }))
const server = await startServer({ driver, credentials: { user: 'bench', password: 'bench' }, port: 0 })
process.send!({
  direct: (await driver.link(obj)).url,
  signed: server.signedUrl('/serve.bin'),
  dav: `${server.davUrl}serve.bin`,
  size: obj.size,
})
process.on('disconnect', () => {
  void server.close().then(() => process.exit(0))
})
