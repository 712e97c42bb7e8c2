/**
 * Password guessing is throttled per client address (RELIABILITY.md, "Password guessing is throttled"): the one admin
 * password guards /api/auth/login and WebDAV Basic auth, and without a brake loopback answered about 3,400 guesses a
 * second. After a few free failures each further failure locks the address for a doubling time (1 s, 2 s, 4 s … up to
 * 15 min); while locked, every request that carries a password is answered 429 with Retry-After without being checked.
 * A success resets the address. Token and signed-link requests are never throttled: they cannot be guessed (256-bit
 * HMACs), and an OpenList mount that uses the token keeps working while someone guesses at the password.
 */
import type { IncomingMessage } from 'node:http'
import { clientKey } from './client-address.js'

export { clientKey }

export interface LoginThrottleOptions {
  /** Failures allowed before the first lock (typos). Default 5. */
  freeFailures: number
  /** The first lock; each further failure doubles it. Default 1 s. */
  baseDelayMs: number
  /** Longest lock. Default 15 min. */
  maxDelayMs: number
  /** An address with no failure for this long starts afresh. Default 1 h. */
  forgetAfterMs: number
  /** Addresses remembered at once; the oldest is forgotten first, so a botnet cannot grow memory. Default 10,000. */
  maxAddresses: number
}

const DEFAULTS: LoginThrottleOptions = {
  freeFailures: 5,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxAddresses: 10_000,
}

interface Entry {
  failures: number
  lockedUntil: number
  lastFailure: number
}

export class LoginThrottle {
  private readonly opts: LoginThrottleOptions
  private readonly entries = new Map<string, Entry>()

  constructor(opts: Partial<LoginThrottleOptions> = {}) {
    this.opts = { ...DEFAULTS, ...opts }
  }

  /** Milliseconds the client must still wait before a password of theirs is checked again; 0 = go ahead. */
  waitMs(req: IncomingMessage, now = Date.now()): number {
    const entry = this.entry(clientKey(req), now)
    return entry ? Math.max(0, entry.lockedUntil - now) : 0
  }

  failed(req: IncomingMessage, now = Date.now()): void {
    const key = clientKey(req)
    const entry = this.entry(key, now) ?? { failures: 0, lockedUntil: 0, lastFailure: now }
    entry.failures++
    entry.lastFailure = now
    const over = entry.failures - this.opts.freeFailures
    if (over > 0)
      entry.lockedUntil = now + Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** Math.min(over - 1, 30))
    // Re-inserted so the Map's order is least recently failed first: eviction drops the quietest address.
    this.entries.delete(key)
    this.entries.set(key, entry)
    if (this.entries.size > this.opts.maxAddresses) this.entries.delete(this.entries.keys().next().value!)
  }

  succeeded(req: IncomingMessage): void {
    this.entries.delete(clientKey(req))
  }

  private entry(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key)
    if (entry && now - entry.lastFailure > this.opts.forgetAfterMs && now >= entry.lockedUntil) {
      this.entries.delete(key)
      return undefined
    }
    return entry
  }
}

/** True when the request asks for a password check: Basic credentials, or a login. */
export function carriesPassword(req: IncomingMessage, rawPath: string): boolean {
  if (rawPath === '/api/auth/login' || rawPath === '/api/auth/login/hash') return true
  const auth = req.headers.authorization
  return typeof auth === 'string' && /^\s*Basic\s/i.test(auth)
}
