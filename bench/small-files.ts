/**
 * Small files without the link limit: `get -r` of 150 files of 4–6 KiB against the emulator with its real rate limits
 * (1 getDownloadUrl/s). The listings carry a download URL for each (docs/api-notes.md §3.0), so the floor set by the
 * link limit, (150 − 1) s, is the baseline the run is compared with; the targets are ≤ 20 s and ≤ 15 link calls.
 */
import { createHash } from 'node:crypto'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { getTree } from '../src/cli/tree-get.js'
import { ourDriver } from './lib/drivers.js'
import { startEmulatorProc } from './lib/emulator-proc.js'
import { median, repeat, secs, timed } from './lib/measure.js'
import type { BenchResult } from './lib/report.js'

const LINK_ROUTE = '/adrive/v1.0/openFile/getDownloadUrl'
const FILES = 150

function content(i: number): string {
  const size = 4096 + ((i * 137) % 2048) // 4–6 KiB
  return `${i}:`.padEnd(size, String.fromCharCode(97 + (i % 26)))
}

export async function smallFilesBench(dir: string, runs: number): Promise<BenchResult> {
  const result: BenchResult = { section: 'Small files', figures: [], peer: [] }
  const seed = Array.from({ length: FILES }, (_, i) => ({
    path: `/small/f${String(i).padStart(3, '0')}.txt`,
    content: content(i),
  }))
  const emu = await startEmulatorProc({ seed })
  try {
    const samples = await repeat(runs, async (run) => {
      const into = join(dir, `small-${run}`)
      const driver = ourDriver(emu.info, await emu.refreshToken())
      await driver.init()
      await emu.resetStats()
      const { ms } = await timed(() => getTree(driver, '/small', into, { quiet: true, json: false, parallel: 3 }))
      const stats = await emu.stats()
      await driver.drop()
      for (let i = 0; i < FILES; i++) {
        const got = await readFile(join(into, `f${String(i).padStart(3, '0')}.txt`))
        const want = createHash('sha1').update(content(i)).digest('hex')
        if (createHash('sha1').update(got).digest('hex') !== want) throw new Error(`f${i}.txt differs`)
      }
      await rm(into, { recursive: true, force: true })
      return { ms, links: stats.calls[LINK_ROUTE] ?? 0, limited: stats.rateLimited }
    })
    const ms = median(samples.map((s) => s.ms))
    const links = Math.max(...samples.map((s) => s.links))
    const limited = Math.max(...samples.map((s) => s.limited))
    const floorMs = (FILES - 1) * 1000
    result.figures.push({
      name: `get -r of ${FILES} files of 4–6 KiB (real limits)`,
      value: `${secs(ms)}, ${links} getDownloadUrl calls, ${limited} × 429`,
      baseline: `link-limit floor ${secs(floorMs)} (${FILES} calls at 1/s)`,
      ratio: floorMs / ms,
      ratioIs: 'baseline/ours',
      target: '≤ 20 s, ≤ 15 link calls, 0 × 429',
      met: ms <= 20_000 && links <= 15 && limited === 0,
      runs,
      note: 'every file verified against its SHA-1 after the run',
    })
  } finally {
    await emu.close()
  }
  return result
}
