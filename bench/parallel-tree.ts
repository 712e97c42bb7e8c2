/**
 * Parallel folder transfers: `put -r` then `get -r` of a 200-file tree (4–64 KiB files in 4 folders) against the
 * emulator with AliyunDrive's real rate limits (4 list, 1 link, 15 other calls a second; docs/api-notes.md §5.1) and
 * its per-user download concurrency cap of 3 (docs/api-notes.md §3.11), once one file at a time and once with the
 * CLI's default --parallel 3. Each download waits DOWNLOAD_LATENCY_MS for its first byte (on loopback it would end
 * within a millisecond, and no two downloads would ever overlap). The baseline is the floor the API sets for the
 * calls the run made: per rate-limit class, calls ÷ rate, the largest of the three, and for downloads at least
 * files × latency ÷ 3 (the per-user download cap). Targets: 0 × 429, 0 × ExceedMaxConcurrency, and the parallel run
 * within 1.5 × the floor.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { getTree } from '../src/cli/tree-get.js'
import { putTree } from '../src/cli/tree-put.js'
import type { EmulatorStats } from '../src/emulator/index.js'
import { ourDriver } from './lib/drivers.js'
import { startEmulatorProc, type EmulatorProc } from './lib/emulator-proc.js'
import { median, repeat, secs, timed } from './lib/measure.js'
import type { BenchResult, Figure } from './lib/report.js'

const FILES = 200
/** A download host's time to first byte (tens of milliseconds over the internet). */
const DOWNLOAD_LATENCY_MS = 50
const DOWNLOAD_CAP = 3
const RATES = { list: 4, link: 1, other: 15 }
const CLASS_OF: Record<string, keyof typeof RATES> = {
  '/adrive/v1.0/openFile/list': 'list',
  '/adrive/v1.0/openFile/getDownloadUrl': 'link',
}

/** The shortest time the counted API calls could take at the emulator's rates (data-plane requests are free). */
function floorMs(stats: EmulatorStats): number {
  const perClass = { list: 0, link: 0, other: 0 }
  for (const [route, n] of Object.entries(stats.calls))
    if (!route.startsWith('data:')) perClass[CLASS_OF[route] ?? 'other'] += n
  const api = (Object.keys(RATES) as Array<keyof typeof RATES>).map((c) => (perClass[c] / RATES[c]) * 1000)
  return Math.max(...api, (stats.downloads * DOWNLOAD_LATENCY_MS) / DOWNLOAD_CAP)
}

async function makeTree(root: string): Promise<Map<string, string>> {
  const sums = new Map<string, string>()
  for (let i = 0; i < FILES; i++) {
    const rel = `d${i % 4}/f${String(i).padStart(3, '0')}.bin`
    const bytes = randomBytes(4096 + ((i * 7919) % (60 * 1024)))
    await mkdir(join(root, `d${i % 4}`), { recursive: true })
    await writeFile(join(root, rel), bytes)
    sums.set(rel, createHash('sha1').update(bytes).digest('hex'))
  }
  return sums
}

interface Sample {
  ms: number
  floor: number
  limited: number
  refused: number
  peak: number
}

async function once(emu: EmulatorProc, fn: (d: ReturnType<typeof ourDriver>) => Promise<void>): Promise<Sample> {
  const driver = ourDriver(emu.info, await emu.refreshToken())
  await driver.init()
  await emu.resetStats()
  try {
    const { ms } = await timed(() => fn(driver))
    const stats = await emu.stats()
    return {
      ms,
      floor: floorMs(stats),
      limited: stats.rateLimited,
      refused: stats.downloadsOverConcurrency,
      peak: stats.downloadsPeak,
    }
  } finally {
    await driver.drop()
  }
}

function figure(name: string, samples: Sample[], parallel: number, runs: number): Figure {
  const ms = median(samples.map((s) => s.ms))
  const floor = median(samples.map((s) => s.floor))
  const limited = Math.max(...samples.map((s) => s.limited))
  const refused = Math.max(...samples.map((s) => s.refused))
  const peak = Math.max(...samples.map((s) => s.peak))
  const gated = parallel > 1
  return {
    name: `${name}, --parallel ${parallel} (real limits, download cap ${DOWNLOAD_CAP})`,
    value: `${secs(ms)}, ${limited} × 429, ${refused} × ExceedMaxConcurrency, ≤ ${peak} downloads at once`,
    baseline: `API floor ${secs(floor)} (calls ÷ rate of the scarcest class; downloads × ${DOWNLOAD_LATENCY_MS} ms ÷ ${DOWNLOAD_CAP})`,
    ratio: ms / floor,
    ratioIs: 'ours/baseline',
    target: gated ? '≤ 1.5, 0 × 429, 0 × ExceedMaxConcurrency' : 'reference (one file at a time)',
    met: limited === 0 && refused === 0 && (!gated || ms / floor <= 1.5),
    runs,
  }
}

export async function parallelTreeBench(dir: string, runs: number): Promise<BenchResult> {
  const result: BenchResult = { section: 'Parallel folder transfers', figures: [], peer: [] }
  const src = join(dir, 'tree-src')
  const sums = await makeTree(src)
  const emu = await startEmulatorProc({
    maxConcurrentDownloads: DOWNLOAD_CAP,
    faults: { downloadLatencyMs: DOWNLOAD_LATENCY_MS },
  })
  try {
    for (const parallel of [1, 3]) {
      let round = 0
      const put = await repeat(runs, () =>
        once(emu, (d) =>
          putTree(d, src, `/tree-${parallel}-${round++}`, {
            conflict: 'overwrite',
            quiet: true,
            json: false,
            parallel,
          }),
        ),
      )
      result.figures.push(figure(`put -r of ${FILES} files`, put, parallel, runs))
      const get = await repeat(runs, async (run) => {
        const into = join(dir, `tree-out-${parallel}-${run}`)
        const sample = await once(emu, (d) =>
          getTree(d, `/tree-${parallel}-0`, into, { quiet: true, json: false, parallel }),
        )
        for (const [rel, sha1] of sums)
          if (
            createHash('sha1')
              .update(await readFile(join(into, rel)))
              .digest('hex') !== sha1
          )
            throw new Error(`${rel} differs after get -r`)
        await rm(into, { recursive: true, force: true })
        return sample
      })
      result.figures.push(figure(`get -r of ${FILES} files`, get, parallel, runs))
    }
  } finally {
    await emu.close()
  }
  return result
}
