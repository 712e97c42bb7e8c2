/**
 * Signatures for `/d/<path>` links. OpenList caches a `raw_url` with no expiry (docs/host-notes.md §1), so the link must
 * stay valid as long as the file is at that path: the signature covers the path only, with an optional expiry for
 * links handed to third parties. Format as OpenList's own: `<base64url hmac>:<expiry unix seconds, 0 = never>`.
 */
import { createHmac } from 'node:crypto'
import { safeEqual } from './auth.js'

export class LinkSigner {
  constructor(
    private readonly secret: Buffer,
    /** Seconds a new link lives; 0 = forever. */
    readonly ttlSec = 0,
  ) {}

  sign(path: string, now = Date.now()): string {
    const expiry = this.ttlSec > 0 ? Math.floor(now / 1000) + this.ttlSec : 0
    return `${this.mac(path, expiry)}:${expiry}`
  }

  verify(path: string, sign: string, now = Date.now()): boolean {
    const colon = sign.lastIndexOf(':')
    if (colon < 0) return false
    const expiryText = sign.slice(colon + 1)
    if (!/^\d{1,12}$/.test(expiryText)) return false
    const expiry = Number(expiryText)
    if (expiry !== 0 && expiry * 1000 < now) return false
    return safeEqual(sign.slice(0, colon), this.mac(path, expiry))
  }

  private mac(path: string, expiry: number): string {
    return createHmac('sha256', this.secret).update(`d\0${path}\0${expiry}`).digest('base64url')
  }
}
