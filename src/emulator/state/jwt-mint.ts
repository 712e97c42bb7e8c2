/**
 * Real-looking JWTs (docs/api-notes.md §2.2): three base64url segments without padding. OpenList decodes the payload with the
 * *standard* alphabet, so the payload must never contain '-' or '_'; for ASCII JSON that only happens for the
 * characters '>', '?', '~' and DEL, which our claim values (hex, digits, plain words) never contain.
 */
import { createHmac } from 'node:crypto'

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url')

export function mintJwt(
  header: Record<string, string>,
  claims: Record<string, string | number>,
  secret: string,
): string {
  const head = b64url(JSON.stringify(header))
  const payload = b64url(JSON.stringify(claims))
  if (/[-_]/.test(payload)) throw new Error('emulator bug: JWT payload not decodable with the standard alphabet')
  const signature = createHmac('sha256', secret).update(`${head}.${payload}`).digest('base64url')
  return `${head}.${payload}.${signature}`
}

/** Access token header and claims as observed in 2024+ (docs/api-notes.md §2.2). */
export function mintAccessToken(
  p: { userId: string; clientId: string; driveIds: string[]; iatSec: number; expSec: number; jti: string },
  secret: string,
): string {
  return mintJwt(
    { kid: 'KqO', typ: 'JWT', alg: 'HS256' },
    {
      sub: p.userId,
      aud: p.clientId,
      s: 'cda',
      d: p.driveIds.join(','),
      iss: 'alipan',
      exp: p.expSec,
      l: 2,
      iat: p.iatSec,
      jti: p.jti,
    },
    secret,
  )
}

/** Refresh tokens: RS256-shaped header, 90-day lifetime (docs/api-notes.md §2.2). The signature is HMAC; nobody verifies it. */
export function mintRefreshToken(
  p: { userId: string; clientId: string; iatSec: number; expSec: number; jti: string },
  secret: string,
): string {
  return mintJwt(
    { typ: 'JWT', alg: 'RS256' },
    { sub: p.userId, aud: p.clientId, exp: p.expSec, iat: p.iatSec, jti: p.jti },
    secret,
  )
}
