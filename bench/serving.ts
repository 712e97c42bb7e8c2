/**
 * Serving: a 1 GiB file downloaded through `serve` — /d/ in 302 mode (redirect, then the emulator's data plane),
 * /d/ in proxy mode (bytes through our process) and WebDAV GET — against a direct GET of the emulator's download URL.
 * Same client for all (bench/lib/http-get.ts), modes interleaved within each run.
 */
import { join } from 'node:path'
import { removeFile, writeRandomFile } from './lib/big-file.js'
import { startEmulatorProc } from './lib/emulator-proc.js'
import { download } from './lib/http-get.js'
import { GiB, median, rate, repeat, secs, timed } from './lib/measure.js'
import { startService } from './lib/proc.js'
import type { BenchResult, Figure } from './lib/report.js'

interface Urls {
  direct: string
  signed: string
  dav: string
  size: number
}

export async function servingBench(dir: string, runs: number): Promise<BenchResult> {
  const result: BenchResult = { section: 'Serving', figures: [], peer: [] }
  const file = join(dir, 'serve-1g.bin')
  await writeRandomFile(file, GiB)
  const emu = await startEmulatorProc({})
  try {
    const host = await startService<Urls>('serve-host', {
      info: emu.info,
      refreshToken: await emu.refreshToken(),
      file,
    })
    await removeFile(file)
    const stops: Array<() => Promise<void>> = []
    try {
      const u = host.ready
      const minimal = await startService<{ url: string }>('minimal-proxy', u.direct)
      stops.push(minimal.stop)
      const basic = { authorization: `Basic ${Buffer.from('bench:bench').toString('base64')}` }
      const modes = {
        direct: () => download(u.direct),
        '302': () => download(u.signed),
        proxy: () => download(`${u.signed}&proxy=1`),
        minimalProxy: () => download(minimal.ready.url),
        webdav: () => download(u.dav, basic),
      }
      type Mode = keyof typeof modes
      const samples = await repeat(runs, async () => {
        const out = {} as Record<Mode, number>
        for (const [mode, fn] of Object.entries(modes) as Array<[Mode, () => ReturnType<typeof download>]>) {
          const { ms, value } = await timed(fn)
          if (value.bytes !== u.size || value.status !== 200)
            throw new Error(`${mode}: got ${value.bytes} bytes, status ${value.status}`)
          out[mode] = ms
        }
        return out
      })
      const m = (mode: Mode) => median(samples.map((s) => s[mode]))
      const base = m('direct')
      const row = (name: string, mode: Mode, target: string, threshold?: number): Figure => ({
        name,
        value: `${secs(m(mode))} (${rate(GiB, m(mode))})`,
        baseline: `direct GET from the emulator ${secs(base)} (${rate(GiB, base)})`,
        ratio: base / m(mode),
        ratioIs: 'baseline/ours',
        target,
        ...(threshold !== undefined ? { met: base / m(mode) >= threshold } : {}),
        runs,
      })
      const floor = m('minimalProxy')
      result.figures.push(
        row('download 1 GiB via /d/ (302 mode)', '302', 'report'),
        row('download 1 GiB via /d/ (proxy mode)', 'proxy', '≥ 0.8', 0.8),
        row('download 1 GiB via a minimal Node proxy (the floor of proxying here)', 'minimalProxy', 'report'),
        {
          name: 'proxy mode against the minimal proxy (our overhead over the floor)',
          value: `${secs(m('proxy'))}`,
          baseline: `minimal http.get→pipe proxy ${secs(floor)} (${rate(GiB, floor)})`,
          ratio: floor / m('proxy'),
          ratioIs: 'baseline/ours',
          target: 'report',
          runs,
        },
        row('download 1 GiB via WebDAV GET', 'webdav', 'report'),
      )
    } finally {
      for (const stop of stops) await stop()
      await host.stop()
    }
  } finally {
    await emu.close()
    await removeFile(file)
  }
  return result
}
