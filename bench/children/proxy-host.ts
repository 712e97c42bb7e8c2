/**
 * `serve` for the proxy-wire bench, in its own process so that its CPU time is its own: our driver over the emulator,
 * the files uploaded with fromFile, then startServer. Over IPC it answers `links` (a direct download URL per file,
 * asked again each time so no run outlives a URL) and `cpu` (process.cpuUsage(), for CPU seconds per GiB proxied).
 */
import { fromFile, type Obj } from '../../src/index.js'
import { startServer } from '../../src/server/index.js'
import { ourDriver } from '../lib/drivers.js'
import type { EmuInfo } from '../lib/emulator-proc.js'

const { info, refreshToken, files } = JSON.parse(process.argv[2]!) as {
  info: EmuInfo
  refreshToken: string
  files: Array<{ path: string; name: string }>
}
const driver = ourDriver(info, refreshToken)
const objs: Obj[] = []
for (const f of files) objs.push(await driver.upload(driver.getRoot(), fromFile(f.path, { name: f.name })))
const server = await startServer({ driver, credentials: { user: 'bench', password: 'bench' }, port: 0 })
process.send!({
  files: objs.map((o) => {
    const signed = server.signedUrl(`/${o.name}`)
    return {
      name: o.name,
      size: o.size,
      proxy: `${signed}&proxy=1`,
      p: signed.replace('/d/', '/p/'),
      dav: `${server.davUrl}${encodeURIComponent(o.name)}`,
    }
  }),
})
process.on('message', (m: { id: number; op: 'links' | 'cpu' }) => {
  const answer =
    m.op === 'cpu'
      ? Promise.resolve(process.cpuUsage())
      : Promise.all(objs.map(async (o) => (await driver.link(o)).url))
  void answer.then((value) => process.send!({ id: m.id, value }))
})
process.on('disconnect', () => {
  void server.close().then(() => process.exit(0))
})
