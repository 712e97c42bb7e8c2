/**
 * A paused reader never blocks other downloads (RELIABILITY.md): a proxied transfer whose client stops reading gives
 * its slot and upstream connection back after the stall time, and continues from the exact byte with a Range request
 * when the client reads again — re-signed when its download URL expired meanwhile. Waiting for a slot is bounded.
 * Waits are for events; the test timeout is the only bound.
 */
import { createHash } from 'node:crypto'
import { get, type IncomingMessage } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { startStack, type Stack } from '../helpers/stack.js'

const BIG = 24 * 1024 * 1024
let s: Stack | undefined
afterEach(async () => {
  await s?.close()
  s = undefined
})

function start(serve: Record<string, unknown>) {
  return startStack(
    {
      // Two-second download URLs: a reader paused longer than that resumes on a URL that has expired.
      downloadUrlTtlSec: 2,
      seed: [
        { path: '/a.bin', size: BIG },
        { path: '/b.bin', size: BIG },
        { path: '/small.bin', size: 256 * 1024 },
      ],
    },
    { proxyDownloads: true, proxyConcurrency: 2, ...serve },
  )
}

/** Reads `pauseAfter` bytes, pauses until resumed, then reads the rest; hashes every byte it got. */
function pausingReader(url: string, pauseAfter: number, headers: Record<string, string> = {}) {
  const hash = createHash('sha1')
  let bytes = 0
  let res: IncomingMessage | undefined
  let onPaused: () => void = () => undefined
  const paused = new Promise<void>((r) => (onPaused = r))
  const done = new Promise<{ sha1: string; bytes: number; status: number }>((resolve, reject) => {
    get(url, { headers }, (r) => {
      res = r
      r.on('data', (c: Buffer) => {
        hash.update(c)
        bytes += c.length
        if (pauseAfter > 0 && bytes >= pauseAfter) {
          pauseAfter = 0
          r.pause()
          onPaused()
        }
      })
      r.on('end', () => resolve({ sha1: hash.digest('hex'), bytes, status: r.statusCode ?? 0 }))
      r.on('error', reject)
    }).on('error', reject)
  })
  return { paused, done, resume: () => res?.resume() }
}

function download(
  url: string,
): Promise<{ status: number; bytes: number; headers: IncomingMessage['headers']; text: string }> {
  return new Promise((resolve, reject) => {
    get(url, (r) => {
      const chunks: Buffer[] = []
      r.on('data', (c: Buffer) => chunks.push(c))
      r.on('end', () =>
        resolve({
          status: r.statusCode ?? 0,
          bytes: Buffer.concat(chunks).length,
          headers: r.headers,
          text: Buffer.concat(chunks).toString('latin1'),
        }),
      )
      r.on('error', reject)
    }).on('error', reject)
  })
}

async function expectedSha1(stack: Stack, path: string, range?: string): Promise<string> {
  const obj = await stack.driver.get(path)
  const link = await stack.driver.link(obj)
  const r = await fetch(link.url, { headers: range ? { Range: range } : {} })
  return createHash('sha1')
    .update(Buffer.from(await r.arrayBuffer()))
    .digest('hex')
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('proxied downloads with paused readers', () => {
  it('two paused readers do not block a third download; resumed (on expired URLs) they deliver every byte', async () => {
    const stack = (s = await start({ proxyStallMs: 300 }))
    const a = pausingReader(stack.server.signedUrl('/a.bin'), 512 * 1024)
    const b = pausingReader(stack.server.signedUrl('/b.bin'), 512 * 1024, { Range: 'bytes=1000-' })
    await Promise.all([a.paused, b.paused])
    // Both slots were taken by the paused readers; the third only gets one if they gave theirs back.
    const third = await download(stack.server.signedUrl('/small.bin'))
    expect(third.status).toBe(200)
    expect(third.bytes).toBe(256 * 1024)
    // Outlive the two-second download URLs, so the resumes need fresh ones.
    await sleep(2500)
    a.resume()
    b.resume()
    const [ra, rb] = await Promise.all([a.done, b.done])
    expect(ra).toMatchObject({ status: 200, bytes: BIG })
    expect(ra.sha1).toBe(await expectedSha1(stack, '/a.bin'))
    expect(rb).toMatchObject({ status: 206, bytes: BIG - 1000 })
    expect(rb.sha1).toBe(await expectedSha1(stack, '/b.bin', 'bytes=1000-'))
  }, 60_000)

  it('waiting for a slot is bounded: 503 with Retry-After', async () => {
    // A long stall time: the paused reader keeps its only slot for the whole test.
    const stack = (s = await start({ proxyConcurrency: 1, proxyStallMs: 60_000, proxySlotWaitMs: 300 }))
    const a = pausingReader(stack.server.signedUrl('/a.bin'), 512 * 1024)
    await a.paused
    const refused = await download(stack.server.signedUrl('/small.bin'))
    expect(refused.status).toBe(503)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    a.resume()
    expect((await a.done).bytes).toBe(BIG)
  }, 60_000)

  it('ranges: suffix, open-ended, past the end (416), multi-range answered whole', async () => {
    const stack = (s = await start({}))
    const url = stack.server.signedUrl('/small.bin')
    const ranged = (range: string) =>
      new Promise<{ status: number; bytes: number; contentRange?: string }>((resolve, reject) =>
        get(url, { headers: { Range: range } }, (r) => {
          let n = 0
          r.on('data', (c: Buffer) => (n += c.length))
          r.on('end', () =>
            resolve({
              status: r.statusCode ?? 0,
              bytes: n,
              ...(r.headers['content-range'] ? { contentRange: r.headers['content-range'] } : {}),
            }),
          )
        }).on('error', reject),
      )
    expect(await ranged('bytes=-100')).toEqual({
      status: 206,
      bytes: 100,
      contentRange: `bytes ${256 * 1024 - 100}-${256 * 1024 - 1}/${256 * 1024}`,
    })
    expect(await ranged('bytes=10-19')).toEqual({ status: 206, bytes: 10, contentRange: `bytes 10-19/${256 * 1024}` })
    expect((await ranged(`bytes=${256 * 1024}-`)).status).toBe(416)
    expect(await ranged('bytes=0-1,5-6')).toEqual({ status: 200, bytes: 256 * 1024 })
  }, 30_000)
})
