/**
 * Reading JWT claims without verifying them (clients never verify: spec §2.2). AliyunDrive tokens are base64url,
 * but OpenList decodes with the standard alphabet without padding, so we accept both alphabets.
 */
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
 * Whether an access token can still be used at `nowMs`, keeping `skewMs` of margin so a request does not leave with a
 * token that dies on the way. A token with no readable `exp` is treated as usable: the server will say otherwise
 * (AccessTokenInvalid) and the request path refreshes then.
 */
export function isTokenFresh(token: string, nowMs: number, skewMs = 60_000): boolean {
  if (!token) return false
  const exp = decodeJwtClaims(token)?.exp
  if (typeof exp !== 'number') return true
  return exp * 1000 - skewMs > nowMs
}
