/**
 * Who a request is: the admin of --user/--password and the accounts of --users (README "Accounts"). Passwords are
 * compared in constant time (on SHA-256 digests, so lengths do not leak either), against every account, so the
 * timing does not tell a wrong user from a wrong password. API tokens are an HMAC of the user and password under the
 * server secret: stateless, stable across restarts when the secret is, and invalidated by a password change —
 * OpenList stores the token in its storage row, so a token that changed on every restart would break the mount.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { headerValue } from './http-util.js'
import type { LoginThrottle } from './login-throttle.js'
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
  token: string
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

export class Auth {
  private accounts: Known[] = []
  private readonly admin: Known

  constructor(
    creds: Credentials,
    private readonly secret: Buffer,
    /** Failed and successful Basic checks are reported here (per client address back-off). */
    private readonly throttle?: LoginThrottle,
    /** `serve --read-only`: every account, the admin too, is read-only. */
    private readonly allReadOnly = false,
  ) {
    this.admin = {
      username: creds.user,
      readOnly: allReadOnly,
      basePath: '/',
      admin: true,
      password: creds.password,
      // The admin's token is what it always was, so tokens stored by OpenList survive an upgrade.
      token: this.tokenFor(creds.user, creds.password),
    }
    this.accounts = [this.admin]
  }

  /** The admin's API token (the banner prints it). */
  get token(): string {
    return this.admin.token
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
        token: this.tokenFor(u.username, u.password ?? `sha256:${u.passwordSha256}`),
      })),
    ]
  }

  /** The distinct base paths of the accounts (a signed link is checked against each, download-access.ts). */
  basePaths(): string[] {
    return [...new Set(this.accounts.map((a) => a.basePath))]
  }

  tokenOf(account: Account): string {
    return this.accounts.find((a) => a.username === account.username)?.token ?? ''
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
    let found: Known | undefined
    for (const a of this.accounts) if (safeEqual(token, a.token)) found = a
    return found && publicView(found)
  }

  /**
   * Accepts what our clients send: OpenList's raw token (`Authorization: <token>`), `Bearer <token>`, or Basic
   * (WebDAV clients, curl -u).
   */
  checkRequest(req: IncomingMessage): Account | undefined {
    const header = headerValue(req.headers.authorization)?.trim()
    if (!header) return undefined
    const basic = /^Basic\s+(\S+)$/i.exec(header)
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      if (colon < 0) return undefined
      const account = this.checkLogin(decoded.slice(0, colon), decoded.slice(colon + 1))
      if (account) this.throttle?.succeeded(req)
      else this.throttle?.failed(req)
      return account
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)
    return this.checkToken(bearer?.[1] ?? header)
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

  private tokenFor(user: string, password: string): string {
    return createHmac('sha256', this.secret).update(`api-token\0${user}\0${password}`).digest('base64url')
  }
}

function publicView(a: Known): Account {
  return { username: a.username, readOnly: a.readOnly, basePath: a.basePath, admin: a.admin }
}
