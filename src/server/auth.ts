/**
 * The one admin user. Passwords are compared in constant time (on SHA-256 digests, so lengths do not leak either).
 * API tokens are sessions (api-sessions.ts) under a key derived from the server secret, the user and the password:
 * valid across restarts when the secret is — OpenList stores the token in its storage row — and all ended by a
 * password change.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { headerValue } from './http-util.js'
import { throttleKeyOf, type LoginThrottle } from './login-throttle.js'
import { ApiSessions, DEFAULT_TOKEN_LIFETIME_HOURS } from './api-sessions.js'

export interface Credentials {
  user: string
  password: string
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest()
}

export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b))
}

export interface AuthOptions {
  /** Failed Basic checks are reported here (login-throttle.ts). */
  throttle?: LoginThrottle | undefined
  /** How long an API token is valid; default 48 hours (OpenList's token_expires_in). */
  tokenLifetimeMs?: number | undefined
  /** The clock (tests). */
  now?: () => number
}

export class Auth {
  private readonly sessions: ApiSessions
  private readonly verdicts = new WeakMap<IncomingMessage, boolean>()
  /** Digests of Basic headers found right, with when that stops counting (recentlyAccepted). */
  private readonly accepted = new Map<string, number>()
  private readonly now: (() => number) | undefined

  private readonly throttle: LoginThrottle | undefined

  constructor(
    private readonly creds: Credentials,
    secret: Buffer,
    opts: AuthOptions = {},
  ) {
    this.throttle = opts.throttle
    this.now = opts.now
    const key = createHmac('sha256', secret).update(`api-session\0${creds.user}\0${creds.password}`).digest()
    this.sessions = new ApiSessions(key, opts.tokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_HOURS * 3_600_000, opts.now)
  }

  /** A new session's token (a login, or the one `serve` prints at start). */
  issueToken(): string {
    return this.sessions.issue()
  }

  /** Ends the session of the token the request carries (logout); false when it carries none that is valid. */
  endSession(req: IncomingMessage): boolean {
    const token = presentedToken(req)
    return token !== undefined && this.sessions.end(token)
  }

  get user(): string {
    return this.creds.user
  }

  checkLogin(user: string, password: string): boolean {
    // Both compared, always: no early exit that would tell a wrong user from a wrong password by timing.
    const userOk = safeEqual(user, this.creds.user)
    const passOk = safeEqual(password, this.creds.password)
    return userOk && passOk
  }

  /** OpenList's /auth/login/hash: the client sends hash(password) instead of the password. */
  checkLoginHash(user: string, hashedPassword: string, hash: (password: string) => string): boolean {
    const userOk = safeEqual(user, this.creds.user)
    const passOk = safeEqual(hashedPassword, hash(this.creds.password))
    return userOk && passOk
  }

  /**
   * True when the request's Basic credentials passed a check within the last 10 minutes. A WebDAV client sends them
   * with every request; once they were found right they skip the throttle's turn (they are still checked), so the
   * owner's client is not slowed to the attacker's pace behind a shared address (login-throttle.ts). A guess is never
   * in here: only credentials that were right.
   */
  recentlyAccepted(req: IncomingMessage): boolean {
    const key = acceptedKey(req)
    const until = key === undefined ? undefined : this.accepted.get(key)
    return until !== undefined && until > (this.now?.() ?? Date.now())
  }

  private remember(req: IncomingMessage): void {
    const key = acceptedKey(req)
    if (key === undefined) return
    this.accepted.delete(key)
    this.accepted.set(key, (this.now?.() ?? Date.now()) + 10 * 60_000)
    if (this.accepted.size > 100) this.accepted.delete(this.accepted.keys().next().value!)
  }

  /** The throttle's user for a name someone logs in as: the account's, or '' for a name that is none. */
  throttleUser(user: string): string {
    return safeEqual(user, this.creds.user) ? this.creds.user : ''
  }

  checkToken(token: string): boolean {
    return token !== '' && this.sessions.check(token)
  }

  /**
   * Accepts what our clients send: OpenList's raw token (`Authorization: <token>`), `Bearer <token>`, or Basic
   * (WebDAV clients, curl -u).
   */
  checkRequest(req: IncomingMessage): boolean {
    // Decided once per request, from its headers, before any body byte is read (start-server.ts); the handlers ask
    // again, and a Basic failure must reach the throttle once.
    let verdict = this.verdicts.get(req)
    if (verdict === undefined) this.verdicts.set(req, (verdict = this.judge(req)))
    return verdict
  }

  private judge(req: IncomingMessage): boolean {
    const basic = basicCredentials(req)
    if (basic) {
      const good = this.checkLogin(basic.user, basic.password)
      if (!good) this.throttle?.failed(throttleKeyOf(req, this.throttleUser(basic.user)))
      else this.remember(req)
      return good
    }
    return this.checkToken(presentedToken(req) ?? '')
  }
}

/** The user and password of a Basic `Authorization` header; undefined for anything else. */
export function basicCredentials(req: IncomingMessage): Credentials | undefined {
  const header = headerValue(req.headers.authorization)?.trim()
  const basic = header ? /^Basic\s+(\S+)$/i.exec(header)?.[1] : undefined
  if (!basic) return undefined
  const decoded = Buffer.from(basic, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

function acceptedKey(req: IncomingMessage): string | undefined {
  const header = headerValue(req.headers.authorization)?.trim()
  return header ? createHash('sha256').update(header).digest('base64url') : undefined
}

/** The API token a request carries (raw, as OpenList sends it, or `Bearer`); undefined for none or Basic. */
function presentedToken(req: IncomingMessage): string | undefined {
  const header = headerValue(req.headers.authorization)?.trim()
  if (!header || /^Basic\s/i.test(header)) return undefined
  return /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? header
}
