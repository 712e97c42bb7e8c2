/**
 * Zip archives cost what they should (RELIABILITY.md), against `serve` in its own process over the
 * emulator process. Hostile zips are built in memory (bench/lib/zip-build.ts) and uploaded through /api/fs/put:
 * - archive/meta of a 6,000-folder zip: its time, the slowest other request answered meanwhile, and the upstream GETs
 *   (the emulator's download counter);
 * - archive/meta of a 2,000-deep chain: its time;
 * - decompress of 30 central records on one 50 MiB deflate stream: what it uploads.
 */
import { startEmulatorProc, type EmulatorProc } from './lib/emulator-proc.js'
import { sleep } from './lib/measure.js'
import { startService } from './lib/proc.js'
import type { BenchResult, Figure } from './lib/report.js'
import { deepChainZip, manyFoldersZip, overlappingZip } from './lib/zip-build.js'

const FOLDERS = 6_000
const DEPTH = 2_000

interface Served {
  url: string
  token: string
}

async function call(s: Served, path: string, body: unknown): Promise<{ code: number; message: string; ms: number }> {
  const t0 = performance.now()
  const r = await fetch(`${s.url}${path}`, {
    method: 'POST',
    headers: { authorization: s.token, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const json = (await r.json()) as { code: number; message: string }
  return { code: json.code, message: json.message, ms: performance.now() - t0 }
}

async function put(s: Served, path: string, bytes: Buffer): Promise<void> {
  const r = await fetch(`${s.url}/api/fs/put`, {
    method: 'PUT',
    headers: { authorization: s.token, 'file-path': encodeURIComponent(path), 'content-length': String(bytes.length) },
    body: new Uint8Array(bytes),
  })
  if (!r.ok) throw new Error(`upload of ${path} answered HTTP ${r.status}`)
}

/** archive/meta of `path` while another request is sent every 100 ms; the slowest of those, and the GETs made. */
async function metaUnderLoad(emu: EmulatorProc, s: Served, path: string) {
  await emu.resetStats()
  let done = false
  let slowest = 0
  let others = 0
  const load = (async () => {
    while (!done) {
      const r = await call(s, '/api/fs/get', { path: '/docs/a.txt' })
      slowest = Math.max(slowest, r.ms)
      others++
      await sleep(100)
    }
  })()
  const meta = await call(s, '/api/fs/archive/meta', { path, password: '', archive_pass: '', refresh: false })
  done = true
  await load
  const gets = (await emu.stats()).calls['data:download'] ?? 0
  return { meta, slowest, others, gets }
}

export async function archiveSafetyBench(): Promise<BenchResult> {
  const result: BenchResult = { section: 'Archive safety', figures: [], peer: [] }
  const emu = await startEmulatorProc({ seed: [{ path: '/docs/a.txt', content: 'a' }], limits: false })
  const s = await startService<Served>('safety-serve', {
    info: emu.info,
    refreshToken: await emu.refreshToken(),
    serve: {},
  })
  try {
    const served = s.ready
    await put(served, '/z/wide.zip', manyFoldersZip(FOLDERS))
    await put(served, '/z/deep.zip', deepChainZip(DEPTH))
    await put(served, '/z/overlap.zip', overlappingZip(50, 30))
    await call(served, '/api/fs/get', { path: '/docs/a.txt' })
    const wide = await metaUnderLoad(emu, served, '/z/wide.zip')
    result.figures.push({
      name: `archive/meta of a ${FOLDERS}-folder zip, /api/fs/get every 100 ms meanwhile`,
      value:
        `${(wide.meta.ms / 1000).toFixed(2)} s (code ${wide.meta.code}), ${wide.gets} upstream GETs; ` +
        `slowest of ${wide.others} other requests ${(wide.slowest / 1000).toFixed(2)} s`,
      baseline: 'target 2 s',
      ratio: wide.meta.ms / 2000,
      ratioIs: 'time/2 s',
      target: '≤ 2 s, others ≤ 1 s, ≤ 30 GETs',
      met: wide.meta.code === 200 && wide.meta.ms <= 2000 && wide.slowest <= 1000 && wide.gets <= 30,
      runs: 1,
    })
    const deep = await metaUnderLoad(emu, served, '/z/deep.zip')
    result.figures.push({
      name: `archive/meta of a ${DEPTH}-deep folder chain`,
      value:
        `${(deep.meta.ms / 1000).toFixed(2)} s (code ${deep.meta.code}), ${deep.gets} upstream GETs; ` +
        `slowest other request ${(deep.slowest / 1000).toFixed(2)} s`,
      baseline: 'target 2 s',
      ratio: deep.meta.ms / 2000,
      ratioIs: 'time/2 s',
      target: '≤ 2 s, others ≤ 1 s',
      met: deep.meta.code === 200 && deep.meta.ms <= 2000 && deep.slowest <= 1000,
      runs: 1,
    })
    result.figures.push(await overlapping(emu, served))
  } finally {
    await s.stop()
    await emu.close()
  }
  return result
}

async function overlapping(emu: EmulatorProc, s: Served): Promise<Figure> {
  await emu.resetStats()
  const r = await call(s, '/api/fs/archive/decompress', {
    src_dir: '/z',
    dst_dir: '/out',
    name: ['overlap.zip'],
    inner_path: '/',
    put_into_new_dir: true,
  })
  const stats = await emu.stats()
  return {
    name: 'decompress of 30 central records on one 50 MiB deflate stream',
    value: `code ${r.code} "${r.message.slice(0, 90)}"; uploaded ${(stats.partBytes / 1024 ** 2).toFixed(0)} MiB`,
    baseline: 'before the guard: 1,000 MiB uploaded',
    ratio: stats.partBytes / (1000 * 1024 ** 2),
    ratioIs: 'uploaded/1,000 MiB',
    target: 'refused, 0 bytes uploaded',
    met: r.code !== 200 && stats.partBytes === 0,
    runs: 1,
  }
}
