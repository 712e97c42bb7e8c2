/**
 * Unauthenticated bodies hold nothing (RELIABILITY.md, "Unauthenticated bodies hold nothing"): authentication is
 * decided from the headers, so a stranger's upload (WebDAV PUT, /api/fs/put, /api/fs/form) is answered 401 and its
 * connection closed without its body being read, and a cap on open connections (in total and per address) answers
 * 503 instead of letting strangers run the process out of descriptors. Before, any PUT counted as an upload, its body
 * deadline was never armed and the 401 was followed by draining the body for as long as it trickled in.
 * The body deadline is set to 10 minutes here, so a connection that closes did not close by that deadline.
 */
import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../src/server/index.js'
import { PASSWORD, startStack, USER, type Stack } from '../helpers/stack.js'

let s: Stack
let port = 0
beforeAll(async () => {
  s = await startStack({ seed: [{ path: '/a.txt', content: 'a' }] }, { timeouts: { bodyMs: 600_000 } })
  port = Number(new URL(s.server.url).port)
})
afterAll(() => s?.close())

interface Conn {
  socket: Socket
  /** Everything the server sent so far. */
  received(): string
  /** Everything the server sent, once the connection closed. */
  closed: Promise<string>
}

function open(toPort: number, first: string, localAddress = '127.0.0.1'): Conn {
  const socket = connect({ port: toPort, host: '127.0.0.1', localAddress })
  const chunks: Buffer[] = []
  socket.on('data', (c: Buffer) => chunks.push(c))
  socket.on('error', () => undefined)
  const received = () => Buffer.concat(chunks).toString('latin1')
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(received())))
  if (first) socket.write(first)
  return { socket, received, closed }
}

const head = (method: string, target: string, headers: Record<string, string>) =>
  `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`

const HUGE = String(100 * 1024 * 1024)

describe('a stranger’s upload is refused from its headers', () => {
  const cases: Array<[string, string]> = [
    ['WebDAV PUT', head('PUT', '/dav/intruder.bin', { 'Content-Length': HUGE })],
    ['/api/fs/put', head('PUT', '/api/fs/put', { 'Content-Length': HUGE, 'File-Path': '/intruder.bin' })],
    [
      '/api/fs/form',
      head('PUT', '/api/fs/form', {
        'Content-Length': HUGE,
        'File-Path': '/intruder.bin',
        'Content-Type': 'multipart/form-data; boundary=x',
      }),
    ],
    ['a wrong token', head('PUT', '/api/fs/put', { Authorization: 'wrong', 'Content-Length': HUGE })],
    ['chunked', head('PUT', '/dav/intruder.bin', { 'Transfer-Encoding': 'chunked' })],
  ]
  for (const [label, request] of cases) {
    it(`${label}: 401 and the connection closed while the body still trickles`, async () => {
      const c = open(port, `${request}x`)
      // Keep trickling, as the attack does, until the server hangs up.
      const trickle = setInterval(() => c.socket.write('x'), 20)
      try {
        const answer = await c.closed
        expect(answer).toMatch(/^HTTP\/1\.1 (401|200) /)
        expect(answer).toMatch(/\r\nConnection: close\r\n/i)
        if (answer.startsWith('HTTP/1.1 200')) expect(answer).toContain('"code":401')
      } finally {
        clearInterval(trickle)
      }
      expect(await s.server.fs.tryStat('/intruder.bin')).toBeUndefined()
    })
  }

  it('a small unauthenticated body (a client before its Basic challenge) keeps the connection', async () => {
    const body = '<?xml version="1.0"?><propfind xmlns="DAV:"><allprop/></propfind>'
    const c = open(port, head('PROPFIND', '/dav/', { Depth: '0', 'Content-Length': String(body.length) }) + body)
    await expect.poll(() => c.received()).toMatch(/^HTTP\/1\.1 401 [\s\S]*authentication required\n$/)
    expect(c.received()).not.toMatch(/Connection: close/i)
    c.socket.write(head('PROPFIND', '/dav/', { Depth: '0', Authorization: s.basic, 'Content-Length': '0' }))
    await expect.poll(() => c.received()).toMatch(/HTTP\/1\.1 207 /)
    c.socket.destroy()
  })

  it('an authenticated upload is still an upload', async () => {
    const c = open(
      port,
      head('PUT', '/dav/welcome.txt', { Authorization: s.basic, 'Content-Length': '5', Connection: 'close' }) + 'hel',
    )
    c.socket.write('lo')
    expect(await c.closed).toMatch(/^HTTP\/1\.1 201 /)
  })
})

describe('connection caps', () => {
  let capped: RunningServer
  let cappedPort = 0
  beforeAll(async () => {
    capped = await startServer({
      fs: s.server.fs,
      credentials: { user: USER, password: PASSWORD },
      port: 0,
      connectionCaps: { total: 3, perAddress: 2 },
    })
    cappedPort = Number(new URL(capped.url).port)
  })
  afterAll(() => capped?.close())

  /** Opens an idle connection and waits until the server has accepted it (it answers a first request). */
  async function held(from: string): Promise<Conn> {
    const c = open(cappedPort, head('GET', '/api/public/settings', {}), from)
    await expect.poll(() => c.received()).toMatch(/^HTTP\/1\.1 (200|503) /)
    return c
  }

  it('over the per-address cap, and over the total, a connection gets 503 and is closed; a slot freed is reused', async () => {
    const a1 = await held('127.0.0.1')
    const a2 = await held('127.0.0.1')
    expect([a1.received(), a2.received()].every((r) => r.startsWith('HTTP/1.1 200'))).toBe(true)
    const a3 = open(cappedPort, '', '127.0.0.1')
    const refused = await a3.closed
    expect(refused).toMatch(/^HTTP\/1\.1 503 /)
    expect(refused).toMatch(/\r\nRetry-After: \d+\r\n/)
    // Another address still has its share, until the total is reached.
    const b1 = await held('127.0.0.2')
    expect(b1.received()).toMatch(/^HTTP\/1\.1 200 /)
    expect(await open(cappedPort, '', '127.0.0.3').closed).toMatch(/^HTTP\/1\.1 503 /)
    // A closed connection gives its slot back.
    a1.socket.destroy()
    await a1.closed
    await expect
      .poll(async () => {
        const c = await held('127.0.0.1')
        c.socket.destroy()
        return c.received().slice(0, 12)
      })
      .toBe('HTTP/1.1 200')
    for (const c of [a2, b1]) c.socket.destroy()
  })
})
