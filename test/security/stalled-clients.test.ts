/**
 * A stalled client never holds the server (RELIABILITY.md): login bodies are capped and refused before being read
 * when they announce too much, bodies that are not uploads must arrive within the body deadline (408, connection
 * closed), stalled headers and idle connections are closed, and a slow upload that keeps making progress is not cut.
 * Every wait here is for an event (an answer, a close); the test timeout is the only bound. The server runs with short
 * deadlines (its `timeouts` option, the same limits at a test's scale): what is proved is which deadline ends which
 * connection, not how long the production defaults are.
 */
import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStack, type Stack } from '../helpers/stack.js'

/** Headers within 1 s, a non-upload body within 600 ms; the idle limit stays far above the slow upload's gaps. */
const TIMEOUTS = { headersMs: 1_000, bodyMs: 600, idleMs: 60_000 }

let s: Stack
let port = 0
beforeAll(async () => {
  s = await startStack({ seed: [{ path: '/a.txt', content: 'a' }] }, { loginThrottle: false, timeouts: TIMEOUTS })
  port = Number(new URL(s.server.url).port)
})
afterAll(() => s?.close())

interface Conn {
  socket: Socket
  /** Everything the server sent, once it closed the connection. */
  closed: Promise<string>
}

function open(first: string): Conn {
  const socket = connect(port, '127.0.0.1')
  const chunks: Buffer[] = []
  socket.on('data', (c: Buffer) => chunks.push(c))
  socket.on('error', () => undefined)
  const closed = new Promise<string>((resolve) =>
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1'))),
  )
  socket.write(first)
  return { socket, closed }
}

const head = (method: string, target: string, headers: Record<string, string>) =>
  `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`

describe('stalled and oversized requests', () => {
  it('a login announcing 1 MB is refused with 413 before its body is sent, and the connection is closed', async () => {
    const c = open(
      head('POST', '/api/auth/login', { 'Content-Type': 'application/json', 'Content-Length': String(1024 * 1024) }) +
        '{"username":"admin","password":"',
    )
    // The body is never completed: the answer can only come from the announced size.
    const answer = await c.closed
    expect(answer).toMatch(/^HTTP\/1\.1 413 /)
    expect(answer).toContain('exceeds 4096 bytes')
  })

  it('a chunked login body over 4 KiB is cut off while reading: 413', async () => {
    const chunk = 'a'.repeat(3000)
    const c = open(
      head('POST', '/api/auth/login', { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }),
    )
    const first = `{"username":"admin","password":"${chunk}`
    c.socket.write(`${first.length.toString(16)}\r\n${first}\r\n`)
    c.socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`)
    // No terminating chunk: a server that waited for the end would never answer.
    const answer = await c.closed
    expect(answer).toMatch(/^HTTP\/1\.1 413 /)
  })

  it('a login body that stops arriving gets 408 and the connection is closed', async () => {
    const c = open(
      head('POST', '/api/auth/login', { 'Content-Type': 'application/json', 'Content-Length': '60' }) + '{"username":',
    )
    const answer = await c.closed
    expect(answer).toMatch(/^HTTP\/1\.1 408 /)
  })

  it('an authenticated JSON body that stops arriving gets 408', async () => {
    const c = open(
      head('POST', '/api/fs/list', {
        Authorization: s.server.token,
        'Content-Type': 'application/json',
        'Content-Length': '60',
      }) + '{"path":',
    )
    expect(await c.closed).toMatch(/^HTTP\/1\.1 408 /)
  })

  it('an unauthenticated body drained after the 401 is not read forever: the connection is closed', async () => {
    const c = open(head('PROPFIND', '/dav/', { Depth: '1', 'Content-Length': String(100 * 1024 * 1024) }) + '<?xml')
    const answer = await c.closed
    expect(answer).toMatch(/^HTTP\/1\.1 401 /)
  })

  it('headers that stop arriving: the connection is closed', async () => {
    const c = open('GET /dav/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ')
    const answer = await c.closed
    expect(answer === '' || /^HTTP\/1\.1 408 /.test(answer)).toBe(true)
  })

  it('a connection that never sends a byte is closed', async () => {
    const c = open('')
    expect(await c.closed).toMatch(/^$|^HTTP\/1\.1 408 /)
  })

  it('a slow upload that keeps making progress is not cut by the body deadline', async () => {
    const body = Buffer.alloc(12, 'u')
    const c = open(
      head('PUT', '/dav/slow.txt', {
        Authorization: s.basic,
        'Content-Length': String(body.length),
        Connection: 'close',
      }),
    )
    // 12 bytes in 6 writes, a third of the body deadline apart: twice the body deadline in all, each gap well under
    // the idle limit.
    for (let i = 0; i < body.length; i += 2) {
      c.socket.write(body.subarray(i, i + 2))
      await new Promise((r) => setTimeout(r, TIMEOUTS.bodyMs / 3))
    }
    expect(await c.closed).toMatch(/^HTTP\/1\.1 201 /)
    const r = await fetch(`${s.server.davUrl}slow.txt`, { headers: { Authorization: s.basic } })
    expect(await r.text()).toBe('u'.repeat(12))
  })
})
