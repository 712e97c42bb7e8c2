/**
 * `serve --max-connections <n> --max-connections-per-address <n>` (README "Putting serve on a network"): bad values
 * stop the command with exit 2 naming the option and the value; the caps given reach the server, whose connections
 * over either are answered 503 with Retry-After (src/server/connection-cap.ts).
 */
import { connect, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { cli, startLongRunning } from '../helpers/cli.js'

interface Conn {
  socket: Socket
  received: () => string
  closed: Promise<string>
}

/** A connection from `from` that sends one keep-alive request and stays open. */
function open(port: number, from: string): Conn {
  const socket = connect({ host: '127.0.0.1', port, localAddress: from })
  let text = ''
  socket.on('data', (c: Buffer) => (text += c.toString('latin1')))
  socket.on('error', () => undefined)
  socket.write('GET /api/public/settings HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n')
  return { socket, received: () => text, closed: new Promise((r) => socket.once('close', () => r(text))) }
}

async function answered(c: Conn): Promise<string> {
  await expect.poll(() => c.received()).toMatch(/^HTTP\/1\.1 \d{3} /)
  return c.received()
}

describe('serve --max-connections / --max-connections-per-address', () => {
  it.each([
    ['--max-connections', '0'],
    ['--max-connections', 'many'],
    ['--max-connections-per-address', '-3'],
    ['--max-connections-per-address', '2.5'],
  ])('%s %s is a usage error naming the option and the value', async (flag, value) => {
    const r = await cli(['serve', '--port', '0', flag, value])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`option '${flag} <n>' argument '${value}' is invalid`)
    expect(r.stderr).toMatch(/must be an integer of at least 1/)
  })

  it('the caps given are the caps served: over either, 503 with Retry-After', async () => {
    const args = ['serve', '--port', '0', '--password', 'pw', '--no-ui']
    const s = await startLongRunning(
      [...args, '--max-connections', '3', '--max-connections-per-address', '2'],
      /Press Ctrl-C/,
      60_000,
    )
    const conns: Conn[] = []
    try {
      const port = Number(/OpenList API : http:\/\/127\.0\.0\.1:(\d+)\/api/.exec(s.output())![1])
      const track = (c: Conn) => (conns.push(c), c)
      expect(await answered(track(open(port, '127.0.0.1')))).toMatch(/^HTTP\/1\.1 200 /)
      expect(await answered(track(open(port, '127.0.0.1')))).toMatch(/^HTTP\/1\.1 200 /)
      // The third from one address: over --max-connections-per-address.
      const third = await track(open(port, '127.0.0.1')).closed
      expect(third).toMatch(/^HTTP\/1\.1 503 /)
      expect(third).toMatch(/\r\nRetry-After: \d+\r\n/)
      // Another address has its share, until --max-connections is reached.
      expect(await answered(track(open(port, '127.0.0.2')))).toMatch(/^HTTP\/1\.1 200 /)
      const overTotal = await track(open(port, '127.0.0.3')).closed
      expect(overTotal).toMatch(/^HTTP\/1\.1 503 /)
      expect(overTotal).toMatch(/\r\nRetry-After: \d+\r\n/)
    } finally {
      for (const c of conns) c.socket.destroy()
      await s.stop()
    }
  }, 120_000)
})
