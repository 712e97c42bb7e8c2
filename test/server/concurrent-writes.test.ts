/**
 * Overlapping writes to one path through `serve` (WebDAV PUT and the OpenList API's PUT /api/fs/put): afterwards
 * exactly one entry holds the name, and it has the bytes of the write acknowledged last. Without per-path
 * serialization each upload sees no (or a stale) holder and four same-name files remain.
 */
import { request } from 'node:http'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { PathLock } from '../../src/server/path-lock.js'
import { raw } from '../helpers/openlist-client.js'
import { startStack, type Stack } from '../helpers/stack.js'

let s: Stack
beforeAll(async () => {
  s = await startStack({ seed: [{ path: '/w', folder: true }] })
})
afterAll(() => s.close())

/**
 * Four PUTs whose headers and first half arrive together; the rest of each body follows a moment later, last writer
 * first. Unserialized, all four list the folder (seeing no new holder) before any completes, and four files remain.
 * Serialized, the outcome does not depend on the pause: only its absence would hide the bug.
 */
async function overlapping(
  path: string,
  headers: Record<string, string>,
  wrap: (content: string) => string = (c) => c,
): Promise<string> {
  const bodies = ['first writer', 'second writer!', 'third writer!!', 'fourth writer!!!']
  const acknowledged: string[] = []
  const pending = bodies.map((b) => {
    const payload = wrap(b)
    const half = Math.floor(payload.length / 2)
    const r = slowPut(
      `${s.server.url}${path}`,
      { ...headers, 'Content-Length': String(Buffer.byteLength(payload)) },
      payload.slice(0, half),
    )
    return { r, rest: payload.slice(half), body: b }
  })
  await new Promise((r) => setTimeout(r, 1500))
  for (const p of [...pending].reverse()) p.r.finish(p.rest)
  await Promise.all(
    pending.map(async (p) => {
      const reply = await p.r.reply
      expect(reply.status, reply.text).toBeLessThan(300)
      if (reply.text.startsWith('{')) expect(JSON.parse(reply.text).code, reply.text).toBe(200)
      acknowledged.push(p.body)
    }),
  )
  return acknowledged.at(-1)!
}

function slowPut(
  url: string,
  headers: Record<string, string>,
  head: string,
): { reply: Promise<{ status: number; text: string }>; finish(rest: string): void } {
  const req = request(url, { method: 'PUT', headers })
  const reply = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
  })
  req.flushHeaders()
  req.write(head)
  return { reply, finish: (rest) => req.end(rest) }
}

async function holders(name: string): Promise<number> {
  const list = await s.driver.list(await s.driver.get('/w'))
  return list.filter((o) => o.name === name).length
}

it('four overlapping WebDAV PUTs to one path leave one file with the bytes acknowledged last', async () => {
  await raw(`${s.server.url}/dav/w/same.txt`, 'PUT', { Authorization: s.basic }, 'old')
  const last = await overlapping('/dav/w/same.txt', { Authorization: s.basic })
  expect(await holders('same.txt')).toBe(1)
  const got = await raw(`${s.server.url}/dav/w/same.txt`, 'GET', { Authorization: s.basic })
  expect(got.json).toBe(last)
})

it('four overlapping PUT /api/fs/put to one path leave one file with the bytes acknowledged last', async () => {
  const last = await overlapping('/api/fs/put', { Authorization: s.server.token, 'File-Path': '/w/api.txt' })
  expect(await holders('api.txt')).toBe(1)
  const got = await raw(`${s.server.url}/dav/w/api.txt`, 'GET', { Authorization: s.basic })
  expect(got.json).toBe(last)
})

it('four overlapping form uploads (PUT /api/fs/form, the web UI) to one path leave one file with the bytes acknowledged last', async () => {
  const boundary = 'concurrent-form-boundary'
  const multipart = (content: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="form.txt"\r\n` +
    `Content-Type: text/plain\r\n\r\n${content}\r\n--${boundary}--\r\n`
  const headers = {
    Authorization: s.server.token,
    'File-Path': '/w/form.txt',
    'Content-Type': `multipart/form-data; boundary=${boundary}`,
  }
  const last = await overlapping('/api/fs/form', headers, multipart)
  expect(await holders('form.txt')).toBe(1)
  const got = await raw(`${s.server.url}/dav/w/form.txt`, 'GET', { Authorization: s.basic })
  expect(got.json).toBe(last)
})

it('PathLock runs holders of one path one at a time, and sorts multi-path requests so opposite orders cannot deadlock', async () => {
  const lock = new PathLock()
  let inside = 0
  let most = 0
  const order: number[] = []
  const job = (i: number, paths: string[]) =>
    lock.run(paths, async () => {
      inside++
      most = Math.max(most, inside)
      await new Promise((r) => setImmediate(r))
      order.push(i)
      inside--
    })
  await Promise.all([job(1, ['/a', '/b']), job(2, ['/b', '/a']), job(3, ['/a']), job(4, ['/b', '/b'])])
  expect(most).toBe(1)
  expect(order.sort()).toEqual([1, 2, 3, 4])
  expect(lock.size).toBe(0)
})
