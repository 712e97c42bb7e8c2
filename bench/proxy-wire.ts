/**
 * Proxying near the wire: the same warm file (256 MiB and 1 GiB) fetched, in one run and interleaved, directly from
 * the emulator's data plane, through a minimal Node proxy (`http.get → pipe`), through nginx `proxy_pass` (256 KiB
 * buffers, no disk buffering: bench/lib/nginx.ts), and through `serve` as `/d/?proxy=1`, WebDAV GET and `/p/`.
 * Ours is judged against nginx (target ≥ 0.9 of its throughput); every relay's CPU seconds per GiB relayed is
 * reported beside it (a small ARM board feels CPU first). Same download client for all (bench/lib/http-get.ts).
 */
import { join } from 'node:path'
import { removeFile, writeRandomFile } from './lib/big-file.js'
import { startEmulatorProc } from './lib/emulator-proc.js'
import { download } from './lib/http-get.js'
import { GiB, MiB, median, rate, repeat, secs, timed } from './lib/measure.js'
import { startNginx, NGINX, type Nginx } from './lib/nginx.js'
import { startService } from './lib/proc.js'
import type { BenchResult, Figure } from './lib/report.js'

interface HostFile {
  name: string
  size: number
  proxy: string
  p: string
  dav: string
}

/** BENCH_WIRE_MIB=256 measures one size only (for profiling: BENCH_PROF=<dir> profiles the serve child). */
const SIZES = [
  { label: '256 MiB', bytes: 256 * MiB },
  { label: '1 GiB', bytes: GiB },
].filter((s) => !process.env.BENCH_WIRE_MIB || s.bytes === Number(process.env.BENCH_WIRE_MIB) * MiB)
const TARGET = 0.9
const basic = { authorization: `Basic ${Buffer.from('bench:bench').toString('base64')}` }
const cpuSecs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6

export async function proxyWireBench(dir: string, runs: number): Promise<BenchResult> {
  const result: BenchResult = { section: 'Proxying near the wire', figures: [], peer: [] }
  const paths = SIZES.map((s) => join(dir, `wire-${s.bytes}.bin`))
  for (const [i, s] of SIZES.entries()) await writeRandomFile(paths[i]!, s.bytes)
  const emu = await startEmulatorProc({})
  const stops: Array<() => Promise<void>> = []
  try {
    const host = await startService<{ files: HostFile[] }>('proxy-host', {
      info: emu.info,
      refreshToken: await emu.refreshToken(),
      files: SIZES.map((s, i) => ({ path: paths[i]!, name: `wire-${s.label.replace(' ', '')}.bin` })),
    })
    stops.push(host.stop)
    for (const p of paths) await removeFile(p)
    const origin = new URL((await host.ask<string[]>('links'))[0]!).origin
    const minimal = await startService<{ url: string }>('minimal-proxy', { origin })
    stops.push(minimal.stop)
    let nginx: Nginx | undefined
    try {
      nginx = await startNginx(dir, origin)
    } catch (e) {
      console.log(`[bench] nginx could not be started (${(e as Error).message}): its rows are skipped`)
    }
    if (nginx) stops.push(nginx.stop)
    else console.log(`[bench] ${NGINX} is not installed: the nginx proxy_pass rows are skipped`)

    const hostCpu = async () => cpuSecs(await host.ask<NodeJS.CpuUsage>('cpu'))
    const minimalCpu = async () => cpuSecs(await minimal.ask<NodeJS.CpuUsage>('cpu'))
    type Mode = 'direct' | 'minimal' | 'nginx' | 'proxy' | 'dav' | 'p'
    const relayOf = (direct: string, base: string) => {
      const u = new URL(direct)
      return `${base.replace(/\/+$/, '')}${u.pathname}${u.search}`
    }
    interface Sample {
      ms: number
      cpu: number
    }
    const samples: Array<Record<Mode, Sample | undefined>[]> = SIZES.map(() => [])
    await repeat(runs, async () => {
      const links = await host.ask<string[]>('links')
      for (const [i, size] of SIZES.entries()) {
        const f = host.ready.files[i]!
        const direct = links[i]!
        const modes: Record<
          Mode,
          [() => ReturnType<typeof download>, (() => Promise<number>) | undefined] | undefined
        > = {
          direct: [() => download(direct), undefined],
          minimal: [() => download(relayOf(direct, minimal.ready.url)), minimalCpu],
          nginx: nginx ? [() => download(relayOf(direct, nginx.url)), nginx.cpuSeconds] : undefined,
          proxy: [() => download(f.proxy), hostCpu],
          dav: [() => download(f.dav, basic), hostCpu],
          p: [() => download(f.p), hostCpu],
        }
        const out = {} as Record<Mode, Sample | undefined>
        for (const [mode, m] of Object.entries(modes) as Array<[Mode, (typeof modes)[Mode]]>) {
          if (!m) continue
          const [fn, cpu] = m
          const before = cpu ? await cpu() : 0
          const { ms, value } = await timed(fn)
          const after = cpu ? await cpu() : 0
          if (value.bytes !== size.bytes || value.status !== 200)
            throw new Error(`${mode} ${size.label}: got ${value.bytes} bytes, status ${value.status}`)
          out[mode] = { ms, cpu: after - before }
        }
        samples[i]!.push(out)
      }
    })

    for (const [i, size] of SIZES.entries()) {
      const s = samples[i]!
      const ms = (mode: Mode) => (s[0]![mode] ? median(s.map((x) => x[mode]!.ms)) : undefined)
      const cpuPerGiB = (mode: Mode) => median(s.map((x) => x[mode]!.cpu)) / (size.bytes / GiB)
      const timeOf = (mode: Mode) => `${secs(ms(mode)!)} (${rate(size.bytes, ms(mode)!)})`
      const withCpu = (mode: Mode) => `${timeOf(mode)}, ${cpuPerGiB(mode).toFixed(2)} CPU s/GiB`
      const direct = ms('direct')!
      const ng = ms('nginx')
      const vsDirect = (name: string, mode: Mode): Figure => ({
        name: `${size.label}: ${name}`,
        value: mode === 'direct' ? timeOf(mode) : withCpu(mode),
        baseline: `direct GET ${timeOf('direct')}`,
        ratio: direct / ms(mode)!,
        ratioIs: 'baseline/ours',
        target: 'report',
        runs,
      })
      result.figures.push(vsDirect('minimal Node proxy (http.get → pipe)', 'minimal'))
      if (ng !== undefined) result.figures.push(vsDirect('nginx proxy_pass (256k buffers)', 'nginx'))
      for (const [mode, name] of [
        ['proxy', '/d/?proxy=1'],
        ['dav', 'WebDAV GET'],
        ['p', '/p/'],
      ] as Array<[Mode, string]>) {
        if (ng === undefined) {
          result.figures.push({ ...vsDirect(name, mode), note: 'nginx not installed: compared with direct only' })
          continue
        }
        result.figures.push({
          name: `${size.label}: ${name} against nginx proxy_pass`,
          value: withCpu(mode),
          baseline: `nginx ${withCpu('nginx')}; direct ${timeOf('direct')}`,
          ratio: ng / ms(mode)!,
          ratioIs: 'baseline/ours',
          target: `≥ ${TARGET}`,
          met: ng / ms(mode)! >= TARGET,
          runs,
        })
      }
    }
  } finally {
    for (const stop of stops.reverse()) await stop()
    await emu.close()
    for (const p of paths) await removeFile(p)
  }
  return result
}
