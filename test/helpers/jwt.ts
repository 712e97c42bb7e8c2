/** Test-side JWT minting: three base64url segments, unsigned (clients never verify, docs/api-notes.md §2.2). */
export function makeJwt(claims: Record<string, unknown>): string {
  const seg = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${seg({ alg: 'HS256', typ: 'JWT' })}.${seg(claims)}.${Buffer.from('sig-' + Math.random()).toString('base64url')}`
}

export const USER_A = '0123456789abcdef0123456789abcdef'
export const USER_B = 'fedcba9876543210fedcba9876543210'

export function accessToken(opts: { sub?: string; expInSec?: number } = {}): string {
  const now = Math.floor(Date.now() / 1000)
  return makeJwt({
    sub: opts.sub ?? USER_A,
    aud: 'app',
    exp: now + (opts.expInSec ?? 3600),
    iat: now,
    jti: Math.random().toString(16).slice(2),
  })
}

export function refreshToken(opts: { sub?: string } = {}): string {
  const now = Math.floor(Date.now() / 1000)
  return makeJwt({
    sub: opts.sub ?? USER_A,
    aud: 'app',
    exp: now + 90 * 86400,
    iat: now,
    n: Math.random().toString(16).slice(2),
  })
}
