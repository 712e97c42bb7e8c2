/**
 * Who a client is, for the limits that count per client (the login throttle, the connection cap): the socket's
 * address, or for the throttle the client address a proxy `--trust-proxy` lists forwarded (request-origin.ts) — never
 * a forwarded header from anyone else (any client can write one). IPv4-mapped IPv6 is the IPv4 address; other IPv6
 * addresses count per /64, the smallest block a single host is usually given.
 */
import type { IncomingMessage } from 'node:http'
import { isIPv6 } from 'node:net'
import { originOf } from './request-origin.js'

export function addressKey(remoteAddress: string | undefined): string {
  const addr = (remoteAddress ?? 'unknown').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '')
  if (!isIPv6(addr)) return addr
  const [head = '', tail = ''] = addr.split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const groups = addr.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`
}

/** The address key of the request's client: its socket, or what a trusted proxy forwarded. */
export function clientKey(req: IncomingMessage): string {
  return addressKey(originOf(req).address)
}
