/**
 * Password guessing is slowed, never locked out (RELIABILITY.md, "The login throttle never locks the owner out"). The
 * admin password guards /api/auth/login and WebDAV Basic auth. The earlier throttle locked a client address for a
 * doubling time and refused even the right password meanwhile: behind NAT, a reverse proxy or Docker, where everyone
 * shares one address, an attacker sending 17 wrong passwords a minute kept the owner out 59 seconds of 60.
 *
 * Now checks are spaced instead of refused. Each (address, user) key has a few free failures (typos); after them its
 * password checks run at most one per `spacingMs`: a request that comes early is held until its turn (at most
 * `maxHoldMs`) and then checked — the right password passes after a short wait, whoever else guesses from that
 * address. A request whose turn is further away than that is answered 429 with Retry-After. A success changes
 * nothing (the key may be shared with the attacker, who would otherwise get fresh free failures each time the owner
 * logs in); failures are forgotten after a quiet `forgetAfterMs`. Token and signed-link requests are never slowed.
 *
 * The key is a plain (address, user) pair, so a caller that knows better (several accounts, a trusted proxy's
 * forwarded address) builds it itself. Usernames that are not an account share one key per address, so inventing
 * names buys no extra checks and cannot push a real account's key out of the table.
 */
import type { IncomingMessage } from 'node:http'
import { clientKey } from './client-address.js'

export { clientKey }

export interface ThrottleKey {
  /** Who sends: a socket address (client-address.ts) or what a trusted proxy says. */
  address: string
  /** Which account the password is for; '' for names that are no account. */
  user: string
}

export interface LoginThrottleOptions {
  /** Failures of a key that cost no waiting (typos). Default 3. */
  freeFailures: number
  /** After them, one password check per key per this long. Default 500 ms: about two guesses a second. */
  spacingMs: number
  /** The longest a request is held for its turn; beyond, 429. Default 5 s. */
  maxHoldMs: number
  /** A key with no failure for this long starts afresh. Default 15 min. */
  forgetAfterMs: number
  /** Keys remembered at once; the least recently failed is forgotten first, so memory stays bounded. Default 10,000. */
  maxKeys: number
}

const DEFAULTS: LoginThrottleOptions = {
  freeFailures: 3,
  spacingMs: 500,
  maxHoldMs: 5000,
  forgetAfterMs: 15 * 60_000,
  maxKeys: 10_000,
}

interface Entry {
  failures: number
  lastFailure: number
  /** When the next check of this key may run. */
  nextTurn: number
}

/** What to do with a password check now: hold it `holdMs` and then check it, or refuse it for `retryAfterMs`. */
export type Admission = { holdMs: number } | { retryAfterMs: number }

export class LoginThrottle {
  private readonly opts: LoginThrottleOptions
  private readonly entries = new Map<string, Entry>()

  constructor(
    opts: Partial<LoginThrottleOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.opts = { ...DEFAULTS, ...opts }
  }

  /** Reserves this check's turn. A held check keeps its turn: the caller must check the password after `holdMs`. */
  admit(key: ThrottleKey): Admission {
    const now = this.now()
    const entry = this.entry(key, now)
    if (!entry || entry.failures < this.opts.freeFailures) return { holdMs: 0 }
    const turn = Math.max(now, entry.nextTurn)
    if (turn - now > this.opts.maxHoldMs) return { retryAfterMs: turn - now - this.opts.maxHoldMs }
    entry.nextTurn = turn + this.opts.spacingMs
    return { holdMs: turn - now }
  }

  failed(key: ThrottleKey): void {
    const now = this.now()
    const id = idOf(key)
    const entry = this.entry(key, now) ?? { failures: 0, lastFailure: now, nextTurn: now }
    entry.failures++
    entry.lastFailure = now
    if (entry.failures >= this.opts.freeFailures) entry.nextTurn = Math.max(entry.nextTurn, now + this.opts.spacingMs)
    // Re-inserted so the Map's order is least recently failed first: eviction drops the quietest key.
    this.entries.delete(id)
    this.entries.set(id, entry)
    if (this.entries.size > this.opts.maxKeys) this.entries.delete(this.entries.keys().next().value!)
  }

  private entry(key: ThrottleKey, now: number): Entry | undefined {
    const id = idOf(key)
    const entry = this.entries.get(id)
    if (entry && now - entry.lastFailure > this.opts.forgetAfterMs && now >= entry.nextTurn) {
      this.entries.delete(id)
      return undefined
    }
    return entry
  }
}

function idOf(key: ThrottleKey): string {
  return `${key.address}\0${key.user}`
}

/** The key of a request's password check for `user` (already '' when it is no account). */
export function throttleKeyOf(req: IncomingMessage, user: string): ThrottleKey {
  return { address: clientKey(req), user }
}
