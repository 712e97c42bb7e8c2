/**
 * A folder of 200 files the service already holds, copied between two storages (the resource and backup drives of one
 * account, so one user's rate limits) with the emulator's real per-user limits: rapid upload moves no content, so
 * the copy is bounded by API calls, not bytes (README.md "rclone and sync").
 *
 * The floor: each file needs one download URL, because the proof's 8 bytes sit at an offset derived from the token
 * (docs/api-notes.md §6.6) and must be read from the file; a listing carries a URL only for files under 5 MB
 * (docs/api-notes.md §3.0), so the files here are 6 MB, as far from "small" as a 512 MiB file for the API. With the
 * emulator's link class at 1 call/s and its burst (src/emulator/state/rate-limiter.ts, the same numbers as
 * docs/api-notes.md §5.1), N files cannot take less than (N − burst) seconds, whatever else happens. The figure
 * also prints every class's own bound from the calls actually made, to show which limit binds.
 */
import { BURST, DEFAULT_LIMITS, type RateClass } from '../src/emulator/state/rate-limiter.js'
import { startEmulatorProc } from './lib/emulator-proc.js'
import { secs, timed } from './lib/measure.js'
import type { BenchResult } from './lib/report.js'
import { mountResourceAndBackup } from './lib/two-mounts.js'

const FILES = Number(process.env.BENCH_FOLDER_COPY_FILES ?? 200)
const FILE_SIZE = 6 * 1000 * 1000

const classOf = (route: string): RateClass | undefined => {
  if (route === '/adrive/v1.0/openFile/list') return 'list'
  if (route === '/adrive/v1.0/openFile/getDownloadUrl') return 'link'
  return route.startsWith('/') ? 'other' : undefined // data:upload / data:download are not API calls
}

/** Seconds a bucket of `rate` per second and capacity BURST needs to answer `calls` calls. */
const bound = (calls: number, rate: number) => Math.max(0, calls - BURST) / rate

export async function folderCopyBench(_dir: string, runs: number): Promise<BenchResult> {
  const seed = Array.from({ length: FILES }, (_, i) => ({
    path: `/tree/f${String(i).padStart(3, '0')}.bin`,
    size: FILE_SIZE,
  }))
  // One run: the copy takes minutes by design (the rate limits are the point), and its count of calls does not vary.
  void runs
  const emu = await startEmulatorProc({ limits: DEFAULT_LIMITS, seed })
  const mounts = await mountResourceAndBackup(emu).catch(async (e: unknown) => {
    await emu.close()
    throw e
  })
  const { table } = mounts
  try {
    const src = await table.stat('/res/tree')
    const dst = await table.stat('/bak')
    await emu.resetStats()
    const copy = await timed(() => table.copy(src, dst))
    const stats = await emu.stats()
    const copied = (await table.list('/bak/tree')).children.length
    if (copied !== FILES) throw new Error(`the copy holds ${copied} files, not ${FILES}`)

    const byClass: Record<RateClass, number> = { list: 0, link: 0, other: 0 }
    for (const [route, n] of Object.entries(stats.calls)) {
      const cls = classOf(route)
      if (cls) byClass[cls] += n
    }
    const bounds = (Object.keys(byClass) as RateClass[]).map(
      (c) => `${c} ${byClass[c]} calls ≥ ${bound(byClass[c], DEFAULT_LIMITS[c]).toFixed(0)} s`,
    )
    const floorMs = bound(FILES, DEFAULT_LIMITS.link) * 1000
    const moved = stats.partBytes + stats.downloadBytes
    const perFile = moved / FILES
    const endpoints = Object.entries(stats.calls)
      .filter(([route]) => route.startsWith('/'))
      .map(([route, n]) => `${route.replace('/adrive/v1.0/', '')} ${n}`)
      .join(', ')
    console.log(`[folder-copy] ${secs(copy.ms)}; calls by class: ${bounds.join('; ')}; by endpoint: ${endpoints}`)
    const figures: BenchResult['figures'] = [
      {
        name: `copy of a folder of ${FILES} held files (${FILE_SIZE / 1e6} MB each) between storages, real limits: time`,
        value: `${secs(copy.ms)}`,
        baseline: `floor ${secs(floorMs)}: ${FILES} download URLs at ${DEFAULT_LIMITS.link}/s, burst ${BURST}`,
        ratio: copy.ms / floorMs,
        ratioIs: 'ours/floor',
        target: '≤ 1.5 × the floor',
        met: copy.ms <= 1.5 * floorMs,
        runs: 1,
        note: `calls by class: ${bounds.join('; ')}; by endpoint: ${endpoints}; 429s ${stats.rateLimited}`,
      },
      {
        name: 'the same copy: bytes moved down and up',
        value: `${stats.downloadBytes} down + ${stats.partBytes} up = ${(perFile / 1024).toFixed(2)} KiB per file`,
        baseline: `the files: ${FILES * FILE_SIZE} bytes`,
        ratio: moved / (FILES * FILE_SIZE),
        ratioIs: 'ours/baseline',
        target: '≤ 4 KiB per file (the proof ranges)',
        met: perFile <= 4096,
        runs: 1,
      },
    ]
    return { section: 'Folder copy between storages (rate limits)', figures, peer: [] }
  } finally {
    await mounts.close()
    await emu.close()
  }
}
