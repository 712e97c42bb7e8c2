/**
 * WebDAV inputs are bounded (RELIABILITY.md), against `serve` in its own process over the emulator
 * process:
 * - a 357 KB PROPFIND with 16,000 namespace declarations: its time, and the slowest other request meanwhile;
 * - 500 shared LOCKs with 1 MB owners on one file: how many are granted, and the size of that file's PROPFIND;
 * - one client taking 600 locks: how many it gets, and whether a LOCK from another address is still granted.
 */
import { request } from 'node:http'
import { startEmulatorProc } from './lib/emulator-proc.js'
import { sleep } from './lib/measure.js'
import { startService } from './lib/proc.js'
import type { BenchResult, Figure } from './lib/report.js'

interface Served {
  url: string
}

const BASIC = `Basic ${Buffer.from('bench:bench').toString('base64')}`

function dav(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
  localAddress?: string,
): Promise<{ status: number; bytes: number; ms: number }> {
  const t0 = performance.now()
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, headers: { authorization: BASIC, ...headers }, ...(localAddress ? { localAddress } : {}) },
      (res) => {
        let bytes = 0
        res.on('data', (c: Buffer) => (bytes += c.length))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, ms: performance.now() - t0 }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

const lockinfo = (owner: string) =>
  `<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:shared/></D:lockscope>` +
  `<D:locktype><D:write/></D:locktype><D:owner>${owner}</D:owner></D:lockinfo>`

export async function webdavBoundsBench(): Promise<BenchResult> {
  const result: BenchResult = { section: 'WebDAV bounds', figures: [], peer: [] }
  const emu = await startEmulatorProc({
    seed: [
      { path: '/w/a.txt', content: 'a' },
      { path: '/w/locked.txt', content: 'l' },
      // Existing files: a LOCK that creates its file is short-lived (lock-null) and would expire during the run.
      ...Array.from({ length: 600 }, (_, i) => ({ path: `/w/f${i}.txt`, content: 'f' })),
    ],
    limits: false,
  })
  const s = await startService<Served>('safety-serve', {
    info: emu.info,
    refreshToken: await emu.refreshToken(),
    serve: {},
  })
  try {
    const base = `${s.ready.url}/dav`
    await dav(`${base}/w/a.txt`, 'PROPFIND', { depth: '0' })
    result.figures.push(await namespaces(base))
    result.figures.push(await bigOwners(base))
    result.figures.push(await oneClient(base))
  } finally {
    await s.stop()
    await emu.close()
  }
  return result
}

async function namespaces(base: string): Promise<Figure> {
  const decl = Array.from({ length: 16_000 }, (_, i) => ` xmlns:p${i}="u:${i}"`).join('')
  const body = `<?xml version="1.0"?><D:propfind xmlns:D="DAV:"${decl}><D:prop>${'<D:getetag/>'.repeat(2_000)}</D:prop></D:propfind>`
  let done = false
  let slowest = 0
  const load = (async () => {
    while (!done) {
      slowest = Math.max(slowest, (await dav(`${base}/w/a.txt`, 'PROPFIND', { depth: '0' })).ms)
      await sleep(100)
    }
  })()
  const r = await dav(`${base}/w/a.txt`, 'PROPFIND', { depth: '0', 'content-type': 'application/xml' }, body)
  done = true
  await load
  return {
    name: `PROPFIND of ${(body.length / 1000).toFixed(0)} KB with 16,000 namespace declarations`,
    value: `${(r.ms / 1000).toFixed(2)} s (HTTP ${r.status}); slowest other PROPFIND ${(slowest / 1000).toFixed(2)} s`,
    baseline: 'target 1 s',
    ratio: r.ms / 1000,
    ratioIs: 'time/1 s',
    target: '< 1 s',
    met: r.ms < 1000 && r.status === 207,
    runs: 1,
  }
}

async function bigOwners(base: string): Promise<Figure> {
  const owner = 'o'.repeat(1_000_000)
  let granted = 0
  for (let i = 0; i < 500; i++)
    if ((await dav(`${base}/w/locked.txt`, 'LOCK', {}, lockinfo(i % 2 ? owner : 'small'))).status === 200) granted++
  const pf = await dav(`${base}/w/`, 'PROPFIND', { depth: '1' })
  return {
    name: '500 shared LOCKs on one file, every other one with a 1 MB owner',
    value: `${granted} granted; PROPFIND Depth 1 of its folder ${(pf.bytes / 1024).toFixed(0)} KiB (HTTP ${pf.status})`,
    baseline: 'before: 500 granted, 520 MB PROPFIND',
    ratio: pf.bytes / 520e6,
    ratioIs: 'PROPFIND bytes/520 MB',
    target: 'PROPFIND < 1 MB',
    met: pf.bytes < 1e6 && pf.status === 207,
    runs: 1,
  }
}

async function oneClient(base: string): Promise<Figure> {
  let granted = 0
  for (let i = 0; i < 600; i++)
    if ((await dav(`${base}/w/f${i}.txt`, 'LOCK', {}, lockinfo('greedy'), '127.0.0.1')).status < 300) granted++
  const other = await dav(`${base}/w/other.txt`, 'LOCK', {}, lockinfo('finder'), '127.0.0.2')
  return {
    name: 'one client address asking for 600 locks, then another address',
    value: `${granted} granted to the first; the other got HTTP ${other.status}`,
    baseline: 'before: all granted until the 10,000-lock table is full, then 503 for everyone',
    ratioIs: '—',
    target: 'first capped, other 201',
    met: granted < 600 && other.status === 201,
    runs: 1,
  }
}
