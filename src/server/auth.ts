/**
 * Who a request is: the admin of --user/--password and the accounts of --users (README "Accounts"). Passwords are
 * compared in constant time (on SHA-256 digests, so lengths do not leak either), against every account, so the
 * timing does not tell a wrong user from a wrong password. API tokens are sessions (api-sessions.ts), each account's
 * under a key derived from the server secret, its name and its password: valid across restarts when the secret is —
 * OpenList stores the token in its storage row — and all of an account's ended by a change of its password.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { headerValue } from './http-io.js'
import { throttleKeyOf, type LoginThrottle } from './login-throttle.js'
import { ApiSessions, DEFAULT_TOKEN_LIFETIME_HOURS } from './api-sessions.js'
import type { UserEntry } from './users-file.js'

export interface Credentials {
  user: string
  password: string
}

/** What the server knows of an authenticated request's account. */
export interface Account {
  username: string
  /** Every write refused (the account's own flag, or `serve --read-only`). */
  readOnly: boolean
  /** The folder that is this account's `/`; '/' = the whole drive. */
  basePath: string
  /** The admin of --user/--password (OpenList's role 2). */
  admin: boolean
}

interface Known extends Account {
  /** Plain password, or undefined when only its OpenList hash is known. */
  password?: string
  /** sha256(password + OpenList's static salt), hex: what /api/auth/login/hash receives. */
  staticHash?: string
  sessions: ApiSessions
}

/** OpenList's static password salt for /auth/login/hash (model.StaticHash). */
const STATIC_HASH_SALT = '-https://github.com/alist-org/alist'

export function staticHash(password: string): string {
  return createHash('sha256')
    .update(password + STATIC_HASH_SALT)
    .digest('hex')
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
  /** `serve --read-only`: every account, the admin too, is read-only. */
  allReadOnly?: boolean | undefined
  /** The clock (tests). */
  now?: () => number
}

export class Auth {
  private accounts: Known[] = []
  private readonly admin: Known
  private readonly verdicts = new WeakMap<IncomingMessage, Account | null>()
  /** Digests of Basic headers found right, with when that stops counting (recentlyAccepted). */
  private readonly accepted = new Map<string, number>()
  private readonly throttle: LoginThrottle | undefined
  private readonly now: (() => number) | undefined
  private readonly allReadOnly: boolean
  private readonly lifetimeMs: number

  constructor(
    creds: Credentials,
    private readonly secret: Buffer,
    opts: AuthOptions = {},
  ) {
    this.throttle = opts.throttle
    this.now = opts.now
    this.allReadOnly = opts.allReadOnly ?? false
    this.lifetimeMs = opts.tokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_HOURS * 3_600_000
    this.admin = {
      username: creds.user,
      readOnly: this.allReadOnly,
      basePath: '/',
      admin: true,
      password: creds.password,
      sessions: this.sessionsFor(creds.user, creds.password),
    }
    this.accounts = [this.admin]
  }

  /** A new session's token for the admin (the one `serve` prints at start). */
  issueToken(): string {
    return this.admin.sessions.issue()
  }

  /** A new session's token for an account that just logged in (gone since, e.g. by a SIGHUP reload: no token). */
  tokenOf(account: Account): string {
    const known = this.accounts.find((a) => a.username === account.username)
    if (!known) throw new Error(`the account ${account.username} is no longer configured`)
    return known.sessions.issue()
  }

  /** Ends the session of the token the request carries (logout); false when it carries none that is valid. */
  endSession(req: IncomingMessage): boolean {
    const token = presentedToken(req)
    if (token === undefined) return false
    let ended = false
    for (const a of this.accounts) if (a.sessions.end(token)) ended = true
    return ended
  }

  get user(): string {
    return this.admin.username
  }

  /** Replaces the --users accounts (at start and on SIGHUP); the admin stays. */
  setUsers(users: readonly UserEntry[]): void {
    this.accounts = [
      this.admin,
      ...users.map((u) => ({
        username: u.username,
        readOnly: u.readOnly || this.allReadOnly,
        basePath: u.basePath,
        admin: false,
        ...(u.password !== undefined ? { password: u.password } : {}),
        ...(u.passwordSha256 !== undefined ? { staticHash: u.passwordSha256 } : {}),
        sessions: this.sessionsFor(u.username, u.password ?? `sha256:${u.passwordSha256}`),
      })),
    ]
  }

  /** The distinct base paths of the accounts (a signed link is checked against each, download-access.ts). */
  basePaths(): string[] {
    return [...new Set(this.accounts.map((a) => a.basePath))]
  }

  checkLogin(user: string, password: string): Account | undefined {
    return this.find(user, (a) =>
      a.password !== undefined ? safeEqual(password, a.password) : safeEqual(staticHash(password), a.staticHash!),
    )
  }

  /** OpenList's /auth/login/hash: the client sends staticHash(password) instead of the password. */
  checkLoginHash(user: string, hashedPassword: string): Account | undefined {
    return this.find(user, (a) => safeEqual(hashedPassword, a.staticHash ?? staticHash(a.password!)))
  }

  checkToken(token: string): Account | undefined {
    if (token === '') return undefined
    // Every account's key is tried: a token's MAC verifies under one only.
    let found: Known | undefined
    for (const a of this.accounts) if (a.sessions.check(token)) found = a
    return found && publicView(found)
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

  /** The throttle's user for a name someone logs in as: the account's, or '' for a name that is none. */
  throttleUser(user: string): string {
    let found = ''
    for (const a of this.accounts) if (safeEqual(user, a.username)) found = a.username
    return found
  }

  /**
   * Accepts what our clients send: OpenList's raw token (`Authorization: <token>`), `Bearer <token>`, or Basic
   * (WebDAV clients, curl -u).
   */
  checkRequest(req: IncomingMessage): Account | undefined {
    // Decided once per request, from its headers, before any body byte is read (start-server.ts); the handlers ask
    // again, and a Basic failure must reach the throttle once.
    let verdict = this.verdicts.get(req)
    if (verdict === undefined) this.verdicts.set(req, (verdict = this.judge(req) ?? null))
    return verdict ?? undefined
  }

  private judge(req: IncomingMessage): Account | undefined {
    const basic = basicCredentials(req)
    if (basic) {
      const account = this.checkLogin(basic.user, basic.password)
      if (!account) this.throttle?.failed(throttleKeyOf(req, this.throttleUser(basic.user)))
      else this.remember(req)
      return account
    }
    return this.checkToken(presentedToken(req) ?? '')
  }

  private remember(req: IncomingMessage): void {
    const key = acceptedKey(req)
    if (key === undefined) return
    this.accepted.delete(key)
    this.accepted.set(key, (this.now?.() ?? Date.now()) + 10 * 60_000)
    if (this.accepted.size > 100) this.accepted.delete(this.accepted.keys().next().value!)
  }

  /** Every account is checked, whatever matched before: no early exit to time. */
  private find(user: string, passwordOk: (a: Known) => boolean): Account | undefined {
    let found: Known | undefined
    for (const a of this.accounts) {
      const userOk = safeEqual(user, a.username)
      const passOk = passwordOk(a)
      if (userOk && passOk) found = a
    }
    return found && publicView(found)
  }

  private sessionsFor(user: string, password: string): ApiSessions {
    const key = createHmac('sha256', this.secret).update(`api-session\0${user}\0${password}`).digest()
    return new ApiSessions(key, this.lifetimeMs, this.now)
  }
}

function publicView(a: Known): Account {
  return { username: a.username, readOnly: a.readOnly, basePath: a.basePath, admin: a.admin }
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
