/**
 * Soak (`npm run soak`; RELIABILITY.md, section "Soak"): 8 concurrent workers run 2 000 mixed operations through `serve` — the OpenList API
 * and WebDAV, uploads, downloads, signed links, listings, renames, moves, copies, deletes — against an emulator that
 * fails ~5 % of API calls, drops connections, throws 429 bursts, fails part PUTs and expires access tokens every few
 * seconds. Reported: success rate, driver retries, p50/p99 latency, RSS over time, token refreshes. Checked:
 * - every answer is a status with a message: never a dropped connection, never our own "internal server error";
 * - nothing lost: after every operation, every file a worker holds is in the emulator's tree with its SHA-1;
 * - single-flight refresh held: refreshes counted by the emulator = those of the driver, and no refresh-token reuse;
 * - no secret (tokens, client secret, admin password) in any log line, error or response;
 * - RSS does not trend upwards once warm.
 * Knobs: SOAK_OPS (2000), SOAK_WORKERS (8), SOAK_SEED.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mulberry32 } from '../src/emulator/prng.js'
import { capturingLogger, leakedSecrets } from '../test/helpers/leaks.js'
import { startMountedStack, type Stack } from '../test/helpers/stack.js'

const OPS = Number(process.env.SOAK_OPS ?? 2000)
const WORKERS = Number(process.env.SOAK_WORKERS ?? 8)
const SEED = Number(process.env.SOAK_SEED ?? 4242)
const FAULTS = { errorRate: 0.03, dropRate: 0.02, partFailRate: 0.05, latencyMs: 2 }

const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex').toUpperCase()
const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
}

type Kind =
  | 'dav-put'
  | 'api-put'
  | 'dav-get'
  | 'link-get'
  | 'propfind'
  | 'api-list'
  | 'api-get'
  | 'mkdir'
  | 'rename'
  | 'dav-move'
  | 'dav-copy'
  | 'delete'
const MIX: Kind[] = [
  'dav-put',
  'dav-put',
  'api-put',
  'dav-get',
  'dav-get',
  'link-get',
  'propfind',
  'api-list',
  'api-list',
  'api-get',
  'mkdir',
  'rename',
  'dav-move',
  'dav-copy',
  'delete',
]

interface Outcome {
  kind: Kind
  ok: boolean
  status: number
  ms: number
}

describe('soak: serve under faults and load', () => {
  let s: Stack
  const logger = capturingLogger()
  /** Text of every non-binary answer, for the secret grep. */
  const answers: string[] = []
  const outcomes: Outcome[] = []
  const broken: string[] = []
  const lost: string[] = []
  const rss: number[] = []
  let storageDir: string
  const sampleRss = () => {
    ;(globalThis as { gc?: () => void }).gc?.()
    rss.push(process.memoryUsage().rss)
  }

  beforeAll(async () => {
    // File bytes on disk, not in the emulator's memory: RSS then measures serve and the driver, not stored files.
    storageDir = await mkdtemp(join(tmpdir(), 'ado-soak-'))
    s = await startMountedStack(
      {
        storageDir,
        accessTokenTtlSec: 8,
        accessTokenGraceSec: 0,
        uploadUrlTtlSec: 5,
        faults: { seed: SEED, ...FAULTS },
        limits: { list: 40, link: 10, other: 150 },
      },
      { proxyDownloads: false, listTtlMs: 2000 },
      // The production budget (4/1/15 per s) times ten on both sides: the emulator still answers 429 above it.
      { logger, driverLimits: { list: 40, link: 10, other: 150 } },
    )
  })
  afterAll(async () => {
    await s?.close()
    await rm(storageDir, { recursive: true, force: true })
  })

  it(`${OPS} operations by ${WORKERS} workers`, async () => {
    const base = s.server.url
    const auth = { Authorization: s.basic }
    const started = Date.now()
    let done = 0
    sampleRss()

    const call = async (
      kind: Kind,
      url: string,
      init: RequestInit,
      expectBody?: string,
    ): Promise<Response | undefined> => {
      const t0 = performance.now()
      let res: Response
      try {
        res = await fetch(url, { ...init, headers: { ...auth, ...(init.headers as Record<string, string>) } })
      } catch (e) {
        broken.push(`${kind} ${url}: no answer (${(e as Error).message})`)
        outcomes.push({ kind, ok: false, status: 0, ms: performance.now() - t0 })
        return undefined
      }
      const isApi = url.includes('/api/')
      const bytes = Buffer.from(await res.arrayBuffer())
      const text = /json|text|xml/.test(res.headers.get('content-type') ?? '') ? bytes.toString('utf8') : ''
      if (text) answers.push(text)
      answers.push(JSON.stringify([...res.headers]))
      const code = isApi ? ((JSON.parse(text || '{}') as { code?: number }).code ?? res.status) : res.status
      const ok = code < 400 && (expectBody === undefined || sha1(bytes) === expectBody)
      if (code < 400 && expectBody !== undefined && !ok) broken.push(`${kind} ${url}: wrong bytes`)
      if (code >= 400 && (!text.trim() || /internal server error/.test(text)))
        broken.push(`${kind} ${url}: ${code} ${text.slice(0, 160)}`)
      outcomes.push({ kind, ok, status: code, ms: performance.now() - t0 })
      return ok ? res : undefined
    }

    const worker = async (w: number) => {
      const random = mulberry32(SEED * 31 + w)
      const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!
      const root = `/w${w}`
      /** mount path → SHA-1 of every file this worker knows to exist. */
      const files = new Map<string, string>()
      const dirs = [root]
      await call('mkdir', `${base}/api/fs/mkdir`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ path: root }),
      })
      const truth = (path: string) => {
        const e = s.emu.findByPath('resource', `/mount${path}`)
        return e && e.type === 'file' ? e.content_hash : undefined
      }
      const dav = (path: string) => `${base}/dav${path.split('/').map(encodeURIComponent).join('/')}`

      for (let i = 0; done < OPS; i++) {
        done++
        if (done % 250 === 0) s.emu.setFaults({ seed: SEED + done, ...FAULTS, rateLimitBurst: 4 })
        if (done % 100 === 0) sampleRss()
        const kind: Kind = files.size < 2 ? 'dav-put' : pick(MIX)
        const known = [...files.keys()]
        let touched: string[] = []
        switch (kind) {
          case 'dav-put':
          case 'api-put': {
            const dir = pick(dirs)
            const path = random() < 0.3 && known.length ? pick(known) : `${dir}/f-${w}-${i}.bin`
            const size = pick([0, 1, 4096, 65_536, 300_000])
            const body = Buffer.alloc(size, (w * 37 + i) & 0xff)
            touched = [path]
            const res =
              kind === 'dav-put'
                ? await call(kind, dav(path), { method: 'PUT', body })
                : await call(kind, `${base}/api/fs/put`, {
                    method: 'PUT',
                    headers: { 'File-Path': encodeURI(path), 'Content-Length': String(size) },
                    body,
                  })
            if (res) files.set(path, sha1(body))
            break
          }
          case 'dav-get':
          case 'link-get': {
            const path = pick(known)
            const url = kind === 'dav-get' ? dav(path) : s.server.signedUrl(path)
            await call(kind, url, { method: 'GET' }, files.get(path))
            break
          }
          case 'propfind':
            await call(kind, dav(`${pick(dirs)}/`), { method: 'PROPFIND', headers: { Depth: '1' } })
            break
          case 'api-list':
            await call(kind, `${base}/api/fs/list`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ path: pick(dirs), refresh: random() < 0.2 }),
            })
            break
          case 'api-get':
            await call(kind, `${base}/api/fs/get`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ path: pick(known) }),
            })
            break
          case 'mkdir': {
            const path = `${root}/d-${i}`
            if (await call(kind, dav(path), { method: 'MKCOL' })) dirs.push(path)
            break
          }
          case 'rename': {
            const path = pick(known)
            const name = `r-${w}-${i}.bin`
            touched = [path, `${path.slice(0, path.lastIndexOf('/'))}/${name}`]
            await call(kind, `${base}/api/fs/rename`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ path, name }),
            })
            break
          }
          case 'dav-move':
          case 'dav-copy': {
            const path = pick(known)
            const target = `${pick(dirs)}/${kind === 'dav-move' ? 'm' : 'c'}-${w}-${i}.bin`
            touched = kind === 'dav-move' ? [path, target] : [target]
            await call(kind, dav(path), {
              method: kind === 'dav-move' ? 'MOVE' : 'COPY',
              headers: { Destination: dav(target), Overwrite: 'F' },
            })
            break
          }
          case 'delete': {
            const path = pick(known)
            touched = [path]
            await call(kind, dav(path), { method: 'DELETE' })
            break
          }
        }
        // The emulator's tree is the truth for what this operation touched (it may have half-happened)...
        for (const path of touched) {
          const hash = truth(path)
          if (hash) files.set(path, hash)
          else files.delete(path)
        }
        // ...and everything else this worker holds must be exactly where it was.
        for (const [path, hash] of files)
          if (!touched.includes(path) && truth(path) !== hash) lost.push(`${path} after ${kind} #${i} of worker ${w}`)
      }
    }

    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)))
    sampleRss()
    const seconds = (Date.now() - started) / 1000

    const emuStats = s.emu.stats()
    const driverStats = (
      s.driver as unknown as {
        stats: { calls: number; retries: number; rateLimited: number; tokenRetries: number; refreshes: number }
      }
    ).stats
    const okCount = outcomes.filter((o) => o.ok).length
    const ms = outcomes.map((o) => o.ms)
    const byStatus = new Map<number, number>()
    for (const o of outcomes) byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1)
    const mb = (b: number) => Math.round(b / 1024 / 1024)
    const quarter = Math.max(1, Math.floor(rss.length / 4))
    const warm = percentile(rss.slice(quarter, 2 * quarter), 50)
    const late = percentile(rss.slice(-quarter), 50)
    const report = {
      operations: outcomes.length,
      workers: WORKERS,
      seconds: Math.round(seconds),
      successRate: `${((100 * okCount) / outcomes.length).toFixed(1)} %`,
      statuses: Object.fromEntries([...byStatus].sort((a, b) => a[0] - b[0])),
      latencyMs: {
        p50: Math.round(percentile(ms, 50)),
        p99: Math.round(percentile(ms, 99)),
        max: Math.round(Math.max(...ms)),
      },
      driver: driverStats,
      emulator: {
        apiCalls: Object.values(emuStats.calls).reduce((a, b) => a + b, 0),
        injected5xx: (emuStats.statuses[500] ?? 0) + (emuStats.statuses[503] ?? 0),
        dropped: emuStats.statuses[0] ?? 0,
        rateLimited429: emuStats.rateLimited,
        refreshes: emuStats.refreshes,
        partPuts: emuStats.partPuts,
      },
      rssMiB: {
        start: mb(rss[0]!),
        warm: mb(warm),
        end: mb(rss.at(-1)!),
        lateQuarterMedian: mb(late),
        samples: rss.map(mb).join(' '),
      },
      logLines: logger.lines.length,
      gcBeforeSamples: typeof (globalThis as { gc?: unknown }).gc === 'function',
    }
    console.log(`SOAK REPORT ${JSON.stringify(report, null, 2)}`)

    expect(broken, 'answers without a status/message, or wrong bytes').toEqual([])
    expect(lost, 'files lost').toEqual([])
    expect(
      outcomes.filter((o) => o.status === 401),
      'our own auth never failed',
    ).toEqual([])
    // Single-flight: every refresh the emulator saw was one the driver made, so none raced and burned a token.
    expect(emuStats.refreshes).toBe(driverStats.refreshes)
    expect(emuStats.refreshes).toBeGreaterThan(3)
    expect(okCount / outcomes.length).toBeGreaterThan(0.85)
    // No growth trend once warm: the last quarter's median RSS within 25 % (+32 MiB slack for GC timing) of the warm median.
    expect(late).toBeLessThan(warm * 1.25 + 32 * 1024 * 1024)
    const leaks = leakedSecrets([...logger.lines, ...answers, ...broken].join('\n'), s.secrets)
    expect(leaks, `secrets seen in ${s.secrets.size} known`).toEqual([])
  })
})
