/**
 * Reading JWT claims without verifying them (clients never verify: docs/api-notes.md §2.2). AliyunDrive tokens are base64url,
 * but OpenList decodes with the standard alphabet without padding, so we accept both alphabets.
 */
import { DriverError } from '../errors/index.js'

export interface JwtClaims {
  sub?: string
  aud?: string
  exp?: number
  iat?: number
  [claim: string]: unknown
}

/** Returns the claims, or undefined if `token` is not a three-segment JWT with a JSON payload. */
export function decodeJwtClaims(token: string): JwtClaims | undefined {
  const parts = token.split('.')
  if (parts.length !== 3 || !parts[1]) return undefined
  try {
    const json = Buffer.from(parts[1].replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')
    const claims: unknown = JSON.parse(json)
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as JwtClaims) : undefined
  } catch {
    return undefined
  }
}

/**
 * The account a token belongs to: its JWT `sub`, which AliyunDrive sets to the user id. The one place that reads it,
 * for the token chain's key, the same-account check after a renewal and the rate limiter's key before getDriveInfo.
 */
export function jwtSubject(token: string): string | undefined {
  const sub = decodeJwtClaims(token)?.sub
  return typeof sub === 'string' && sub ? sub : undefined
}

/**
 * Refuses a renewed refresh token that belongs to another account than the one it replaced (JWT `sub`): a relay once
 * answered with another user's token (docs/api-notes.md §2.2). Tokens without a readable `sub` are not compared.
 */
export function assertSameAccount(before: string, after: string): void {
  const was = jwtSubject(before)
  const now = jwtSubject(after)
  if (!was || !now || was === now) return
  throw new DriverError(
    'UNAUTHORIZED',
    'the renewed refresh token belongs to a different AliyunDrive account than the configured one (JWT sub mismatch); ' +
      'the new token was not used; re-authorize the app for this account',
  )
}

/**
 * Whether an access token can still be used at `nowMs`. A margin keeps a request from leaving with a token that dies
 * on the way: `maxSkewMs`, but never more than a tenth of the token's own lifetime (`exp − iat`), so short-lived
 * tokens are not treated as stale from birth (which would refresh on every call). A token with no readable `exp` is
 * treated as usable: the server will say otherwise (AccessTokenInvalid) and the request path refreshes then.
 */
export function isTokenFresh(token: string, nowMs: number, maxSkewMs = 60_000): boolean {
  if (!token) return false
  const claims = decodeJwtClaims(token)
  const exp = claims?.exp
  if (typeof exp !== 'number') return true
  const lifetimeMs =
    typeof claims?.iat === 'number' && claims.iat < exp ? (exp - claims.iat) * 1000 : Number.POSITIVE_INFINITY
  return exp * 1000 - Math.min(maxSkewMs, lifetimeMs / 10) > nowMs
}

/**
 * When a token was issued: its JWT `iat` in seconds. A token whose `iat` cannot be read (not a JWT, no `iat`, an
 * `iat` that is not a number) is dated 0, older than any dated token: it cannot be shown to be newer than anything.
 */
function issuedAt(token: string | undefined): number {
  const iat = token ? decodeJwtClaims(token)?.iat : undefined
  return typeof iat === 'number' && Number.isFinite(iat) ? iat : 0
}

/**
 * The one rule for "is the persisted refresh token `candidate` newer than `ours`?" (refresh tokens are single-use,
 * docs/api-notes.md §2.1: keeping an older one over a newer one locks the account out). A missing candidate or `ours`
 * itself is not newer. Otherwise the JWT `iat` (whole seconds, undated tokens at 0) decides: issued later is newer,
 * issued earlier is not. The same second is decided by memory: a holder that remembers every refresh token it held
 * (`held`, the rotation chain) knows a different token of the same second that it never held was rotated by someone
 * else from one it held, so it is newer; a holder without that memory (a config file writer) cannot tell it from a
 * predecessor of its own, and keeps its own (a file only moves forward on proof).
 */
export function isNewerRefreshToken(
  candidate: string | undefined,
  ours: string,
  held?: (token: string) => boolean,
): candidate is string {
  if (!candidate || candidate === ours) return false
  if (!held) return issuedAt(candidate) > issuedAt(ours)
  return !held(candidate) && issuedAt(candidate) >= issuedAt(ours)
}
