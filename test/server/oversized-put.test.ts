/**
 * A body that announces more than any upload can carry (10,000 parts of 5 GiB, docs/api-notes.md §6.2) is refused
 * from its Content-Length with 413 and a message naming it, before anything is created. Before, `Content-Length:
 * 999999999999999` on /api/fs/put reached the part planner after the parent folders were made, and answered 500.
 */
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStack, type Stack } from '../helpers/stack.js'

let s: Stack
beforeAll(async () => {
  s = await startStack({ seed: [{ path: '/up', folder: true }] })
})
afterAll(() => s?.close())

/** Sends the head and a few body bytes, and returns what the server answered once it closed the connection. */
function exchange(head: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(Number(new URL(s.server.url).port), '127.0.0.1')
    const chunks: Buffer[] = []
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', () => undefined)
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')))
    socket.write(`${head}\r\n0123456789`)
  })
}

describe('an oversized Content-Length', () => {
  it('/api/fs/put: code 413 naming the size, nothing created, connection closed', async () => {
    const answer = await exchange(
      `PUT /api/fs/put HTTP/1.1\r\nHost: x\r\nAuthorization: ${s.server.token}\r\n` +
        `File-Path: /made-by-put/huge.bin\r\nContent-Length: 999999999999999\r\n`,
    )
    const json = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { code: number; message: string }
    expect(json.code).toBe(413)
    expect(json.message).toMatch(/Content-Length 999999999999999 is larger than the largest file/)
    expect(await s.server.fs.tryStat('/made-by-put')).toBeUndefined()
  })

  it('WebDAV PUT: HTTP 413', async () => {
    const answer = await exchange(
      `PUT /dav/up/huge.bin HTTP/1.1\r\nHost: x\r\nAuthorization: ${s.basic}\r\nContent-Length: 999999999999999\r\n`,
    )
    expect(answer).toMatch(/^HTTP\/1\.1 413 /)
    expect(answer).toMatch(/larger than the largest file/)
    expect(await s.server.fs.tryStat('/up/huge.bin')).toBeUndefined()
  })
})
