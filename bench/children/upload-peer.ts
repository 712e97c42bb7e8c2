/**
 * One upload through the peer into the emulator. The peer's only upload entry points take the whole content in
 * memory (`writeFile(path, buffer)`; its `createWriteStream` collects every chunk and then calls writeFile), so the
 * file is read into one buffer first — that read is part of its upload time and of its peak RSS, as in real use.
 */
import { readFile } from 'node:fs/promises'
import { peerDriver } from '../lib/drivers.js'
import type { EmuInfo } from '../lib/emulator-proc.js'
import { childMain, peakRssBytes } from '../lib/proc.js'

interface Arg {
  info: EmuInfo
  refreshToken: string
  file: string
  name: string
}

childMain(async ({ info, refreshToken, file, name }: Arg) => {
  const peer = peerDriver(info, refreshToken)
  await peer.exists('/') // resolve token and drive before the clock starts, as ours does with init()
  const t0 = performance.now()
  await peer.writeFile(`/${name}`, await readFile(file), {})
  const ms = performance.now() - t0
  const stat = await peer.stat(`/${name}`)
  return { ms, peakRss: peakRssBytes(), size: stat.size }
})
