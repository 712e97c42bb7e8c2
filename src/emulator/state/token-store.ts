/**
 * Token lifecycle (docs/api-notes.md §2.1, §10 item 4): refresh tokens are single-use and rotate on every refresh; the access
 * token a refresh replaces keeps working for a grace period ("not invalidated immediately"); access tokens expire
 * after `accessTokenTtlSec`.
 */
import { ApiError } from '../api-error.js'
import { newHex } from '../ids.js'
import { mintAccessToken, mintRefreshToken } from './jwt-mint.js'

const REFRESH_TTL_SEC = 90 * 24 * 3600

export interface AccessGrant {
  userId: string
  clientId: string
  token: string
}

interface AccessRecord {
  userId: string
  clientId: string
  expMs: number
  /** Set when a refresh superseded this token: it dies at min(expMs, revokeAtMs). */
  revokeAtMs?: number
}

interface RefreshRecord {
  userId: string
  clientId: string
  expMs: number
  used: boolean
}

export interface TokenPair {
  access_token: string
  refresh_token: string
  expires_in: number
  token_type: 'Bearer'
}

export class TokenStore {
  private readonly access = new Map<string, AccessRecord>()
  private readonly refresh = new Map<string, RefreshRecord>()

  constructor(
    private readonly secret: string,
    private readonly now: () => number,
    private readonly accessTtlSec: number,
    private readonly graceSec: number,
    private readonly driveIdsOf: (userId: string) => string[],
  ) {}

  issueAccess(userId: string, clientId: string): string {
    const nowMs = this.now()
    const iatSec = Math.floor(nowMs / 1000)
    const token = mintAccessToken(
      {
        userId,
        clientId,
        driveIds: this.driveIdsOf(userId).slice(0, 2),
        iatSec,
        expSec: iatSec + this.accessTtlSec,
        jti: newHex(16),
      },
      this.secret,
    )
    this.access.set(token, { userId, clientId, expMs: nowMs + this.accessTtlSec * 1000 })
    return token
  }

  issueRefresh(userId: string, clientId: string): string {
    const nowMs = this.now()
    const iatSec = Math.floor(nowMs / 1000)
    const token = mintRefreshToken(
      { userId, clientId, iatSec, expSec: iatSec + REFRESH_TTL_SEC, jti: newHex(16) },
      this.secret,
    )
    this.refresh.set(token, { userId, clientId, expMs: nowMs + REFRESH_TTL_SEC * 1000, used: false })
    return token
  }

  /** The owner of a refresh token, without consuming it (rate limiting keys on it before the exchange). */
  peekRefresh(token: string): { userId: string; clientId: string } | undefined {
    const rec = this.refresh.get(token)
    return rec && { userId: rec.userId, clientId: rec.clientId }
  }

  /** Exchanges a refresh token of `clientId` for a new pair; the old refresh token is consumed. */
  exchange(refreshToken: string, clientId: string): TokenPair {
    const rec = this.refresh.get(refreshToken)
    if (!rec || rec.used) {
      // Reuse of a consumed token and unknown tokens look the same to the client (docs/api-notes.md §10 item 4).
      throw new ApiError(400, 'RefreshTokenInvalid', 'Refresh token is invalid or has been used.')
    }
    if (rec.expMs <= this.now()) throw new ApiError(401, 'RefreshTokenExpired', 'Refresh token is expired.')
    if (rec.clientId !== clientId) {
      throw new ApiError(400, 'RefreshTokenInvalid', 'Refresh token was not issued to this client.')
    }
    rec.used = true
    this.supersedeAccess(rec.userId, clientId)
    return {
      token_type: 'Bearer',
      access_token: this.issueAccess(rec.userId, clientId),
      refresh_token: this.issueRefresh(rec.userId, clientId),
      expires_in: this.accessTtlSec,
    }
  }

  /** Validates a bearer token: 401 AccessTokenInvalid for unknown/garbage/superseded, AccessTokenExpired after exp. */
  authenticate(authorization: string | undefined): AccessGrant {
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim() ?? ''
    const rec = token ? this.access.get(token) : undefined
    if (!rec) throw new ApiError(401, 'AccessTokenInvalid', 'AccessToken is invalid. ErrValidateTokenFailed')
    const nowMs = this.now()
    if (rec.revokeAtMs !== undefined && rec.revokeAtMs <= nowMs && rec.revokeAtMs < rec.expMs) {
      throw new ApiError(401, 'AccessTokenInvalid', 'AccessToken is invalid. token has been replaced by a refresh')
    }
    if (rec.expMs <= nowMs) throw new ApiError(401, 'AccessTokenExpired', 'AccessToken is expired.')
    return { userId: rec.userId, clientId: rec.clientId, token }
  }

  /** Every record, for an emulator that keeps its state across restarts. */
  exportRecords(): { access: Array<[string, AccessRecord]>; refresh: Array<[string, RefreshRecord]> } {
    return { access: [...this.access], refresh: [...this.refresh] }
  }

  importRecords(records: { access: Array<[string, AccessRecord]>; refresh: Array<[string, RefreshRecord]> }): void {
    for (const [k, v] of records.access) this.access.set(k, v)
    for (const [k, v] of records.refresh) this.refresh.set(k, v)
  }

  expireAllAccess(): void {
    const past = this.now() - 1
    for (const rec of this.access.values()) rec.expMs = Math.min(rec.expMs, past)
  }

  /** Previous access tokens of (user, client) stay valid `graceSec` more, then are rejected. */
  private supersedeAccess(userId: string, clientId: string): void {
    const deadline = this.now() + this.graceSec * 1000
    for (const rec of this.access.values()) {
      if (rec.userId === userId && rec.clientId === clientId && rec.revokeAtMs === undefined) rec.revokeAtMs = deadline
    }
  }
}
