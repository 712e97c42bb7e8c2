/** One `fromFile` upload through our public API into the emulator; reports wall time and this process's peak RSS. */
import { fromFile } from '../../src/index.js'
import { ourDriver } from '../lib/drivers.js'
import type { EmuInfo } from '../lib/emulator-proc.js'
import { childMain, peakRssBytes } from '../lib/proc.js'

interface Arg {
  info: EmuInfo
  refreshToken: string
  file: string
  name: string
}

childMain(async ({ info, refreshToken, file, name }: Arg) => {
  const driver = ourDriver(info, refreshToken, { rapid_upload: false })
  await driver.init()
  const rssBefore = peakRssBytes()
  const t0 = performance.now()
  const obj = await driver.upload(driver.getRoot(), fromFile(file, { name }))
  const ms = performance.now() - t0
  await driver.drop()
  return { ms, peakRss: peakRssBytes(), rssBefore, size: obj.size }
})
