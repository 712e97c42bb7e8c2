/**
 * The one admin user. Passwords are compared in constant time (on SHA-256 digests, so lengths do not leak either).
 * API tokens are an HMAC of the user and password under the server secret: stateless, stable across restarts when
 * the secret is, and invalidated by a password change — OpenList stores the token in its storage row, so a token that
 * changed on every restart would break the mount.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { headerValue } from './http-util.js'
import type { LoginThrottle } from './login-throttle.js'

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

export class Auth {
  readonly token: string

  constructor(
    private readonly creds: Credentials,
    secret: Buffer,
    /** Failed and successful Basic checks are reported here (per client address back-off). */
    private readonly throttle?: LoginThrottle,
  ) {
    this.token = createHmac('sha256', secret).update(`api-token\0${creds.user}\0${creds.password}`).digest('base64url')
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

  checkToken(token: string): boolean {
    return token !== '' && safeEqual(token, this.token)
  }

  /**
   * Accepts what our clients send: OpenList's raw token (`Authorization: <token>`), `Bearer <token>`, or Basic
   * (WebDAV clients, curl -u).
   */
  checkRequest(req: IncomingMessage): boolean {
    const header = headerValue(req.headers.authorization)?.trim()
    if (!header) return false
    const basic = /^Basic\s+(\S+)$/i.exec(header)
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      if (colon < 0) return false
      const good = this.checkLogin(decoded.slice(0, colon), decoded.slice(colon + 1))
      if (good) this.throttle?.succeeded(req)
      else this.throttle?.failed(req)
      return good
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)
    return this.checkToken(bearer?.[1] ?? header)
  }
}
