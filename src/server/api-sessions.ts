/**
 * API tokens are sessions (RELIABILITY.md, "API tokens are sessions"): each login, and the start of `serve`, issues
 * its own token; it expires after the configured lifetime (OpenList's `token_expires_in`, 48 hours by default) and
 * `/api/auth/logout` ends it without touching the others. Before, the token was one constant: whoever had read it once
 * (a script in a previewed file, a log, a shoulder) kept the drive for ever, and no logout could take it back.
 *
 * A token is `<session id>.<expiry>.<MAC>`, the MAC under a key derived from the server secret, the user and the
 * password: stateless, so it survives a restart of `serve` with the same secret (OpenList keeps the token in its
 * storage row, docs/host-notes.md §1), and a password change ends every session. Ended sessions are remembered in
 * memory until they would have expired anyway; like OpenList's own logout, a restart forgets them.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export const DEFAULT_TOKEN_LIFETIME_HOURS = 48

export class ApiSessions {
  private readonly ended = new Map<string, number>()

  constructor(
    private readonly key: Buffer,
    private readonly lifetimeMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(lifetimeMs > 0)) throw new Error(`the token lifetime must be positive, got ${lifetimeMs} ms`)
  }

  issue(): string {
    const id = randomBytes(16).toString('base64url')
    const expires = (this.now() + this.lifetimeMs).toString(36)
    return `${id}.${expires}.${this.mac(id, expires).toString('base64url')}`
  }

  /** True for a token this server issued, not expired and not ended. */
  check(token: string): boolean {
    const parts = this.parse(token)
    return parts !== undefined && !this.ended.has(parts.id)
  }

  /** Ends the session of a valid token; false when the token is not one (nothing to end). */
  end(token: string): boolean {
    const parts = this.parse(token)
    if (!parts) return false
    const now = this.now()
    for (const [id, expires] of this.ended) if (expires <= now) this.ended.delete(id)
    this.ended.set(parts.id, parts.expires)
    return true
  }

  private parse(token: string): { id: string; expires: number } | undefined {
    const [id, expiresText, mac, extra] = token.split('.')
    if (!id || !expiresText || !mac || extra !== undefined || !/^[0-9a-z]{1,12}$/.test(expiresText)) return undefined
    // Constant time; only the MAC's length (public: always 32 bytes) may end it early.
    const given = Buffer.from(mac, 'base64url')
    const wanted = this.mac(id, expiresText)
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return undefined
    const expires = parseInt(expiresText, 36)
    return expires > this.now() ? { id, expires } : undefined
  }

  private mac(id: string, expires: string): Buffer {
    return createHmac('sha256', this.key).update(`${id}.${expires}`).digest()
  }
}
