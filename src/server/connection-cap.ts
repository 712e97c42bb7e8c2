/**
 * A cap on open connections, in total and per client address (RELIABILITY.md, "Unauthenticated bodies hold
 * nothing"). Each connection holds a file descriptor until it closes; without a cap, strangers holding sockets open
 * ran the process into its descriptor limit and every legitimate request failed for about a minute. A connection
 * over either cap is answered 503 with `Retry-After` at once and closed, so the descriptors in use stay bounded and
 * the owner's own connections (within their address's share) keep working.
 */
import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import { addressKey } from './client-address.js'

export interface ConnectionCaps {
  /** Open connections at once, all addresses together. Default 1,000. */
  total: number
  /** Open connections at once from one address (IPv6: one /64). Default 200: a NAT or proxy carries many users. */
  perAddress: number
}

export const DEFAULT_CONNECTION_CAPS: ConnectionCaps = { total: 1000, perAddress: 200 }

const BUSY_TEXT = 'too many open connections; try again shortly\n'
const BUSY_ANSWER =
  'HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n' +
  `Content-Length: ${Buffer.byteLength(BUSY_TEXT)}\r\nRetry-After: 5\r\nConnection: close\r\n\r\n${BUSY_TEXT}`

/** Counts the server's connections and turns away those over a cap. */
export function capConnections(server: Server, caps: ConnectionCaps): { open: () => number } {
  let total = 0
  const perAddress = new Map<string, number>()
  // Registered before Node's own listener: a refused socket is paused before its HTTP parser is attached, so no
  // request on it is ever read.
  server.prependListener('connection', (socket: Socket) => {
    const key = addressKey(socket.remoteAddress)
    const mine = perAddress.get(key) ?? 0
    if (total >= caps.total || mine >= caps.perAddress) return refuse(socket)
    total++
    perAddress.set(key, mine + 1)
    socket.once('close', () => {
      total--
      const left = (perAddress.get(key) ?? 1) - 1
      if (left > 0) perAddress.set(key, left)
      else perAddress.delete(key)
    })
  })
  return { open: () => total }
}

function refuse(socket: Socket): void {
  socket.on('error', () => undefined)
  socket.pause()
  socket.end(BUSY_ANSWER)
  // A client that never reads must not keep the descriptor: the answer had a second to leave.
  setTimeout(() => socket.destroy(), 1000).unref()
}
