/**
 * Where a request comes from and which address the client used: its address (for the login throttle and the logs),
 * and the scheme and host absolute links are built on (README "Behind a reverse proxy"). `X-Forwarded-For`, `-Host`
 * and `-Proto` are believed only from a socket address `serve --trust-proxy` lists; from anyone else they are
 * ignored, since any client can write them (a forged address would dodge the throttle, a forged host would put
 * someone else's host into the links we hand out).
 */
import type { IncomingMessage } from 'node:http'
import { BlockList, isIP } from 'node:net'

export interface RequestOrigin {
  /** The client's address: the socket's, or the forwarded one behind a trusted proxy. */
  address: string
  /** The host (and port) the client asked for, as the Host header (or a trusted X-Forwarded-Host) says. */
  host: string
  proto: 'http' | 'https'
}

export class TrustedProxies {
  private readonly list = new BlockList()

  /** `spec`: addresses and CIDR ranges, comma separated (`127.0.0.1,10.0.0.0/8,::1`). Throws naming a bad one. */
  constructor(spec: string) {
    const entries = spec
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)
    if (entries.length === 0) throw new Error('--trust-proxy needs at least one address or CIDR range')
    for (const entry of entries) {
      const [addr = '', bits, extra] = entry.split('/')
      const family = isIP(addr)
      const max = family === 4 ? 32 : 128
      if (family === 0 || extra !== undefined || (bits !== undefined && !/^\d{1,3}$/.test(bits)) || Number(bits) > max)
        throw new Error(`--trust-proxy: "${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8, ::1)`)
      const type = family === 4 ? 'ipv4' : 'ipv6'
      if (bits === undefined) this.list.addAddress(addr, type)
      else this.list.addSubnet(addr, Number(bits), type)
    }
  }

  has(address: string): boolean {
    const plain = unmapped(address)
    const family = isIP(plain)
    return family !== 0 && this.list.check(plain, family === 4 ? 'ipv4' : 'ipv6')
  }
}

const origins = new WeakMap<IncomingMessage, RequestOrigin>()

/** Works out the request's origin once (start-server.ts calls it first thing); later calls get the same answer. */
export function resolveOrigin(req: IncomingMessage, trusted?: TrustedProxies): RequestOrigin {
  const known = origins.get(req)
  if (known) return known
  const socketAddress = unmapped(req.socket.remoteAddress ?? 'unknown')
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true
  const direct: RequestOrigin = {
    address: socketAddress,
    host: req.headers.host || '127.0.0.1',
    proto: encrypted ? 'https' : 'http',
  }
  const origin = trusted?.has(socketAddress) ? forwarded(req, direct, trusted) : direct
  origins.set(req, origin)
  return origin
}

/** The origin of a request, without believing any forwarded header unless resolveOrigin was told to. */
export function originOf(req: IncomingMessage): RequestOrigin {
  return resolveOrigin(req)
}

function forwarded(req: IncomingMessage, direct: RequestOrigin, trusted: TrustedProxies): RequestOrigin {
  // The right-most hop not a proxy of ours is the client; hops to its left were written by the client itself.
  const hops = (headerValue(req.headers['x-forwarded-for']) ?? '')
    .split(',')
    .map((h) => unmapped(h.trim()))
    .filter(Boolean)
  let address = direct.address
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!
    if (isIP(hop) === 0) break
    address = hop
    if (!trusted.has(hop)) break
  }
  const host = headerValue(req.headers['x-forwarded-host'])?.split(',')[0]?.trim()
  const proto = headerValue(req.headers['x-forwarded-proto'])?.split(',')[0]?.trim().toLowerCase()
  return {
    address,
    host: host || direct.host,
    proto: proto === 'https' ? 'https' : proto === 'http' ? 'http' : direct.proto,
  }
}

function headerValue(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h
}

function unmapped(address: string): string {
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '')
}
