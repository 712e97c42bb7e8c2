/**
 * Copy between two mounts (the resource and backup drives of one account, emulator in its own process): the bytes
 * stream through this process, so its peak memory growth must not depend on the file size. Figures: peak RSS growth
 * copying 512 MiB as a share of the bytes copied (the 64 MiB copy's growth alongside), and the copy's throughput
 * against a plain download of the same file through the same link, measured in the same run.
 */
import { startEmulatorProc } from './lib/emulator-proc.js'
import { download } from './lib/http-get.js'
import { median, MiB, mb, rate, repeat, secs, timed } from './lib/measure.js'
import type { BenchResult } from './lib/report.js'
import { mountResourceAndBackup } from './lib/two-mounts.js'

const SMALL = 64 * MiB
const BIG = 512 * MiB

async function peakRssGrowth<T>(fn: () => Promise<T>): Promise<{ growth: number; ms: number }> {
  globalThis.gc?.()
  const before = process.memoryUsage.rss()
  let peak = before
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10)
  try {
    const { ms } = await timed(fn)
    peak = Math.max(peak, process.memoryUsage.rss())
    return { growth: peak - before, ms }
  } finally {
    clearInterval(timer)
  }
}

export async function crossCopyBench(_dir: string, runs: number): Promise<BenchResult> {
  const emu = await startEmulatorProc({
    limits: false,
    seed: [
      { path: '/small.bin', size: SMALL },
      { path: '/big.bin', size: BIG },
    ],
  })
  const mounts = await mountResourceAndBackup(emu).catch(async (e: unknown) => {
    await emu.close()
    throw e
  })
  const { res, table } = mounts
  try {
    const copy = async (name: string, i: number) => {
      const dst = await table.mkdirp(`/bak/run-${name}-${i}`)
      // Without its SHA-1 the copy cannot be a rapid upload (bench/rapid.ts measures that): the bytes stream through.
      return table.copy({ ...(await table.stat(`/res/${name}`)), hashes: {} }, dst)
    }
    await copy('small.bin', -1) // warm-up: the first copy's one-time allocations would otherwise land in the baseline
    const samples = await repeat(runs, async (i) => {
      const small = await peakRssGrowth(() => copy('small.bin', i))
      const big = await peakRssGrowth(() => copy('big.bin', i))
      const link = await res.link(await res.get('/big.bin'))
      const plain = await timed(() => download(link.url))
      return { small: small.growth, big: big.growth, bigMs: big.ms, plainMs: plain.ms }
    })
    const small = median(samples.map((s) => s.small))
    const big = median(samples.map((s) => s.big))
    const bigMs = median(samples.map((s) => s.bigMs))
    const plainMs = median(samples.map((s) => s.plainMs))
    return {
      section: 'Copy between mounts',
      peer: [],
      figures: [
        {
          name: 'peak RSS growth copying 512 MiB between mounts (streamed through)',
          value: mb(big),
          baseline: `the bytes copied: ${mb(BIG)}`,
          ratio: big / BIG,
          ratioIs: 'ours/baseline',
          target: '≤ 0.1 (memory does not grow with the file)',
          met: big / BIG <= 0.1,
          runs,
          note: `the same copy of 64 MiB grew ${mb(small)}`,
        },
        {
          name: 'copy 512 MiB between mounts (download + upload)',
          value: `${secs(bigMs)} (${rate(BIG, bigMs)})`,
          baseline: `plain download of the same file ${secs(plainMs)} (${rate(BIG, plainMs)})`,
          ratio: plainMs / bigMs,
          ratioIs: 'baseline/ours',
          target: 'report',
          runs,
        },
      ],
    }
  } finally {
    await mounts.close()
    await emu.close()
  }
}
