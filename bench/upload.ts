/**
 * Upload: throughput of a 1 GiB `fromFile` upload into the emulator (limits off) against one raw streaming PUT of the
 * same file to a discarding loopback sink; peak RSS of the uploading process at 1 and 4 GiB; and the peer's upload of
 * 256 MiB and 1 GiB. Every upload gets a fresh emulator (in memory), so no run pays for an earlier run's stored bytes.
 */
import { join } from 'node:path'
import { startEmulatorProc } from './lib/emulator-proc.js'
import { removeFile, writeRandomFile } from './lib/big-file.js'
import { GiB, MiB, mb, median, rate, repeat, secs } from './lib/measure.js'
import { runChild } from './lib/proc.js'
import type { BenchResult } from './lib/report.js'
import { startSink } from './lib/sink-proc.js'

interface UploadOutcome {
  ms: number
  peakRss: number
  size: number
}

async function uploadInto(
  child: 'upload-ours' | 'upload-peer',
  file: string,
  name: string,
  size: number,
): Promise<UploadOutcome> {
  const emu = await startEmulatorProc({ limits: false })
  try {
    const out = await runChild<UploadOutcome>(child, {
      info: emu.info,
      refreshToken: await emu.refreshToken(),
      file,
      name,
    })
    if (out.size !== size) throw new Error(`${child}: stored ${out.size} bytes, expected ${size}`)
    return out
  } finally {
    await emu.close()
  }
}

async function rawPartsIntoEmulator(file: string): Promise<{ ms: number }> {
  const emu = await startEmulatorProc({ limits: false })
  try {
    return await runChild<{ ms: number }>('raw-parts-put', {
      info: emu.info,
      refreshToken: await emu.refreshToken(),
      file,
    })
  } finally {
    await emu.close()
  }
}

export async function uploadBench(dir: string, runs: number): Promise<BenchResult> {
  const result: BenchResult = { section: 'Upload', figures: [], peer: [] }
  const file1 = join(dir, 'up-1g.bin')
  await writeRandomFile(file1, GiB)
  const sink = await startSink()
  let ours1: UploadOutcome[]
  try {
    // Alternate baseline and ours, so a slow phase of the machine hits both.
    const pairs = await repeat(runs, async () => ({
      base: await runChild<{ ms: number }>('raw-put', { url: sink.url, file: file1 }),
      rawParts: await rawPartsIntoEmulator(file1),
      ours: await uploadInto('upload-ours', file1, 'up-1g.bin', GiB),
    }))
    ours1 = pairs.map((p) => p.ours)
    const base = median(pairs.map((p) => p.base.ms))
    const ours = median(ours1.map((o) => o.ms))
    result.figures.push({
      name: 'upload 1 GiB fromFile → emulator',
      value: `${secs(ours)} (${rate(GiB, ours)})`,
      baseline: `raw PUT to sink ${secs(base)} (${rate(GiB, base)})`,
      ratio: base / ours,
      ratioIs: 'baseline/ours',
      target: '≥ 0.8',
      met: base / ours >= 0.8,
      runs,
      note:
        'the emulator SHA-1-hashes and stores every byte it receives ' +
        '(complete checks the content hash); the sink discards them — see next row',
    })
    const raw = median(pairs.map((p) => p.rawParts.ms))
    result.figures.push({
      name: 'upload 1 GiB fromFile → emulator (diagnostic)',
      value: `${secs(ours)} (${rate(GiB, ours)})`,
      baseline: `raw part PUTs into the emulator ${secs(raw)} (${rate(GiB, raw)})`,
      ratio: raw / ours,
      ratioIs: 'baseline/ours',
      target: '≥ 0.8',
      met: raw / ours >= 0.8,
      runs,
      note: 'the least any client must do into this emulator: create, 52 streamed 20 MiB PUTs in order, complete',
    })
  } finally {
    await sink.stop()
  }

  const file4 = join(dir, 'up-4g.bin')
  await writeRandomFile(file4, 4 * GiB)
  const ours4 = await uploadInto('upload-ours', file4, 'up-4g.bin', 4 * GiB)
  await removeFile(file4)
  const rss1 = median(ours1.map((o) => o.peakRss))
  result.figures.push({
    name: 'peak RSS, 1 GiB upload',
    value: mb(rss1),
    baseline: '150 MB budget',
    ratio: rss1 / 150e6,
    ratioIs: 'ours/budget',
    target: '≤ 1.0',
    met: rss1 <= 150e6,
    runs,
  })
  result.figures.push({
    name: 'peak RSS, 4 GiB upload',
    value: `${mb(ours4.peakRss)} (${secs(ours4.ms)}, ${rate(4 * GiB, ours4.ms)})`,
    baseline: `1 GiB: ${mb(rss1)}`,
    ratio: ours4.peakRss / rss1,
    ratioIs: '4 GiB/1 GiB',
    target: '≤ 150 MB and flat (≤ 1.1)',
    met: ours4.peakRss <= 150e6 && ours4.peakRss / rss1 <= 1.1,
    runs: 1,
  })

  // The peer, side by side: 256 MiB (median of `runs`, both drivers) and 1 GiB (one run of the peer).
  const file256 = join(dir, 'up-256m.bin')
  await writeRandomFile(file256, 256 * MiB)
  const ours256 = await repeat(runs, () => uploadInto('upload-ours', file256, 'up-256m.bin', 256 * MiB))
  const peer256 = await repeat(runs, () => uploadInto('upload-peer', file256, 'up-256m.bin', 256 * MiB))
  await removeFile(file256)
  const peer1 = await uploadInto('upload-peer', file1, 'up-1g.bin', GiB)
  await removeFile(file1)
  const show = (o: UploadOutcome[] | UploadOutcome, size: number) => {
    const list = Array.isArray(o) ? o : [o]
    const ms = median(list.map((x) => x.ms))
    return { time: `${secs(ms)} (${rate(size, ms)})`, rss: mb(median(list.map((x) => x.peakRss))) }
  }
  const [o256, p256, o1, p1] = [show(ours256, 256 * MiB), show(peer256, 256 * MiB), show(ours1, GiB), show(peer1, GiB)]
  result.peer.push(
    { name: 'upload 256 MiB: time', ours: o256.time, peer: p256.time, note: `median of ${runs} each` },
    { name: 'upload 256 MiB: peak RSS', ours: o256.rss, peer: p256.rss },
    { name: 'upload 1 GiB: time', ours: o1.time, peer: p1.time, note: `ours median of ${runs}, peer 1 run` },
    {
      name: 'upload 1 GiB: peak RSS',
      ours: o1.rss,
      peer: p1.rss,
      note: 'the peer holds the whole file in one buffer (its API takes a buffer)',
    },
  )
  return result
}
