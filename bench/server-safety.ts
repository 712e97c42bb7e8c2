/**
 * Server safety under hostile or careless clients (RELIABILITY.md, section "Serving under real use"), each against `serve`
 * in its own process so its memory is its own:
 * - 50 concurrent listings of a 20,000-entry folder (PROPFIND Depth 1, then /api/fs/list): peak RSS of the server;
 * - 300 raw sockets posting an unfinished 1 MB body to /api/auth/login: RSS growth, and how long an authenticated
 *   listing takes meanwhile;
 * - proxied downloads with two paused readers (the default 2 slots): how long a third download takes, and whether the
 *   paused ones, resumed, deliver every byte (SHA-1).
 */
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { get, request, type IncomingMessage } from 'node:http'
import { connect, type Socket } from 'node:net'
import { startEmulatorProc, type EmulatorProc } from './lib/emulator-proc.js'
import { sleep } from './lib/measure.js'
import { startService } from './lib/proc.js'
import type { BenchResult, Figure } from './lib/report.js'

const BIG_FOLDER = 20_000
const CONCURRENT_LISTINGS = 50
const STALLED_LOGINS = 300
const BIG_FILE = 96 * 1024 * 1024

interface Served {
  pid: number
  url: string
  token: string
  signed: Record<string, string>
}

const status = (pid: number) => readFileSync(`/proc/${pid}/status`, 'utf8')
const kib = (pid: number, field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status(pid))?.[1] ?? 0) * 1024
const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`
/** Resets the peak RSS (VmHWM) of `pid` to its current RSS (Linux: writing 5 to clear_refs). */
const resetPeak = (pid: number) => writeFileSync(`/proc/${pid}/clear_refs`, '5')

async function serveProc(emu: EmulatorProc, serve: Record<string, unknown>) {
  return startService<Served>('safety-serve', { info: emu.info, refreshToken: await emu.refreshToken(), serve })
}

/** A GET or PROPFIND whose body is counted and discarded (the client must not be what limits the server). */
function drainRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let bytes = 0
      res.on('data', (c: Buffer) => (bytes += c.length))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

export async function serverSafetyBench(): Promise<BenchResult> {
  const result: BenchResult = { section: 'Server safety', figures: [], peer: [] }
  const seed = [
    ...Array.from({ length: BIG_FOLDER }, (_, i) => ({
      path: `/big/f${String(i).padStart(5, '0')}.txt`,
      content: 'x',
    })),
    { path: '/media/big-a.bin', size: BIG_FILE },
    { path: '/media/big-b.bin', size: BIG_FILE },
    { path: '/media/small.bin', size: 1024 * 1024 },
  ]
  const emu = await startEmulatorProc({ seed, limits: false })
  try {
    result.figures.push(...(await bigListings(emu)))
    result.figures.push(await stalledLogins(emu))
    result.figures.push(...(await pausedReaders(emu)))
  } finally {
    await emu.close()
  }
  return result
}

async function bigListings(emu: EmulatorProc): Promise<Figure[]> {
  const figures: Figure[] = []
  for (const kind of ['PROPFIND', '/api/fs/list'] as const) {
    const s = await serveProc(emu, { listTtlMs: 600_000 })
    try {
      const { pid, url, token } = s.ready
      const one =
        kind === 'PROPFIND'
          ? () =>
              drainRequest(`${url}/dav/big/`, 'PROPFIND', {
                Depth: '1',
                authorization: `Basic ${Buffer.from('bench:bench').toString('base64')}`,
              })
          : () =>
              drainRequest(
                `${url}/api/fs/list`,
                'POST',
                { authorization: token, 'content-type': 'application/json' },
                JSON.stringify({ path: '/big', page: 1, per_page: 0 }),
              )
      const warm = await one() // fills the listing cache
      await sleep(500)
      const idle = kib(pid, 'VmRSS')
      resetPeak(pid)
      const t0 = performance.now()
      const answers = await Promise.all(Array.from({ length: CONCURRENT_LISTINGS }, one))
      const ms = performance.now() - t0
      const peak = kib(pid, 'VmHWM')
      const bad = answers.filter((a) => a.bytes !== warm.bytes || a.status !== warm.status).length
      figures.push({
        name: `${CONCURRENT_LISTINGS} concurrent ${kind} of a ${BIG_FOLDER}-entry folder, cache warm`,
        value:
          `peak RSS ${mib(peak)}, ${(ms / 1000).toFixed(1)} s for all, ` +
          `${(warm.bytes / 1e6).toFixed(1)} MB each${bad ? `, ${bad} answers differ` : ''}`,
        baseline: `RSS idle with the listing cached: ${mib(idle)}`,
        ratio: peak / idle,
        ratioIs: 'peak/idle',
        target: 'peak ≤ 400 MiB',
        met: peak <= 400 * 1024 ** 2 && bad === 0,
        runs: 1,
      })
    } finally {
      await s.stop()
    }
  }
  return figures
}

async function stalledLogins(emu: EmulatorProc): Promise<Figure> {
  const s = await serveProc(emu, {})
  const sockets: Socket[] = []
  try {
    const { pid, url, token } = s.ready
    const port = Number(new URL(url).port)
    const list = () =>
      drainRequest(
        `${url}/api/fs/list`,
        'POST',
        { authorization: token, 'content-type': 'application/json' },
        '{"path":"/media"}',
      )
    await list()
    await sleep(500)
    const before = kib(pid, 'VmRSS')
    resetPeak(pid)
    const body = Buffer.alloc(1024 * 1024 - 1, 'p')
    let refused = 0
    await Promise.all(
      Array.from({ length: STALLED_LOGINS }, () => {
        const socket = connect(port, '127.0.0.1')
        sockets.push(socket)
        socket.on('error', () => undefined)
        socket.on('data', () => void refused++)
        socket.write(
          `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${1024 * 1024}\r\n\r\n`,
        )
        // Everything but the last byte: the server waits for a body that never ends.
        return new Promise<void>((resolve) => {
          socket.write(body, () => resolve())
          socket.on('close', () => resolve())
        })
      }),
    )
    await sleep(1000)
    const t0 = performance.now()
    const answer = await list()
    const listMs = performance.now() - t0
    const grown = kib(pid, 'VmHWM') - before
    return {
      name: `${STALLED_LOGINS} stalled 1 MB login bodies`,
      value:
        `RSS +${mib(grown)}; ` +
        `an authenticated listing meanwhile: ${(listMs / 1000).toFixed(2)} s (HTTP ${answer.status}); ${refused} refused at once`,
      baseline: `RSS before: ${mib(before)}`,
      ratio: grown / 1e6,
      ratioIs: 'MB grown',
      target: 'RSS +< 100 MB, listing < 3 s',
      met: grown < 100e6 && listMs < 3000 && answer.status === 200,
      runs: 1,
    }
  } finally {
    for (const socket of sockets) socket.destroy()
    await s.stop()
  }
}

/** A reader that takes the first `pauseAfter` bytes, stops reading, and can be resumed; it hashes everything. */
function pausingReader(url: string, pauseAfter: number) {
  const hash = createHash('sha1')
  let bytes = 0
  let res: IncomingMessage | undefined
  let pausedResolve: () => void = () => undefined
  const paused = new Promise<void>((r) => (pausedResolve = r))
  const done = new Promise<{ sha1: string; bytes: number; status: number }>((resolve, reject) => {
    get(url, (r) => {
      res = r
      r.on('data', (c: Buffer) => {
        hash.update(c)
        bytes += c.length
        if (bytes >= pauseAfter && !r.isPaused() && pauseAfter > 0) {
          pauseAfter = 0
          r.pause()
          pausedResolve()
        }
      })
      r.on('end', () => resolve({ sha1: hash.digest('hex'), bytes, status: r.statusCode ?? 0 }))
      r.on('error', reject)
      r.on('aborted', () => reject(new Error(`aborted after ${bytes} bytes`)))
    }).on('error', reject)
  })
  done.catch(() => pausedResolve())
  return { paused, done, resume: () => res?.resume() }
}

async function pausedReaders(emu: EmulatorProc): Promise<Figure[]> {
  const s = await serveProc(emu, { proxyDownloads: true })
  try {
    const { url, token, signed } = s.ready
    const sha1Of = async (path: string) => {
      const r = await fetch(`${url}/api/fs/get`, {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'application/json' },
        body: JSON.stringify({ path }),
      })
      return ((await r.json()) as { data: { hash_info: { sha1: string } } }).data.hash_info.sha1.toLowerCase()
    }
    const a = pausingReader(signed['/media/big-a.bin']!, 1024 * 1024)
    const b = pausingReader(signed['/media/big-b.bin']!, 1024 * 1024)
    await Promise.all([a.paused, b.paused])
    const CAP_MS = 30_000
    const t0 = performance.now()
    const third = await Promise.race([
      drainRequest(signed['/media/small.bin']!, 'GET', {}).then((r) => ({ ...r, ms: performance.now() - t0 })),
      sleep(CAP_MS).then(() => undefined),
    ])
    a.resume()
    b.resume()
    const resumed = await Promise.race([Promise.allSettled([a.done, b.done]), sleep(120_000).then(() => undefined)])
    const expected = [await sha1Of('/media/big-a.bin'), await sha1Of('/media/big-b.bin')]
    const outcome = resumed
      ? resumed.map((r, i) =>
          r.status === 'fulfilled'
            ? r.value.sha1 === expected[i] && r.value.bytes === BIG_FILE
              ? 'SHA-1 ok'
              : `wrong bytes (${r.value.bytes})`
            : `failed: ${(r.reason as Error).message}`,
        )
      : ['did not finish in 120 s', '']
    return [
      {
        name: 'third proxied download while two readers are paused (2 slots)',
        value: third
          ? `${(third.ms / 1000).toFixed(1)} s (HTTP ${third.status}, ${third.bytes} bytes)`
          : `not done after ${CAP_MS / 1000} s`,
        baseline: 'target 10 s',
        ...(third ? { ratio: third.ms / 10_000 } : {}),
        ratioIs: 'time/10 s',
        target: '≤ 10 s',
        met: third !== undefined && third.ms <= 10_000 && third.status === 200,
        runs: 1,
      },
      {
        name: 'the two paused readers, resumed',
        value: outcome.filter(Boolean).join('; '),
        baseline: `${mib(BIG_FILE)} each, SHA-1 from the drive`,
        ratioIs: '—',
        target: 'every byte, SHA-1 equal',
        met: outcome.every((o) => o === 'SHA-1 ok'),
        runs: 1,
      },
    ]
  } finally {
    await s.stop()
  }
}
