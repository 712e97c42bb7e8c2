/**
 * Pre-signed data-plane URLs (docs/api-notes.md §3.11, §6.3): `x-oss-expires=<unix s>` and an HMAC `x-oss-signature` over the
 * method, path and the other query parameters, with a per-emulator secret, so any tampering answers 403.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

const SIGNATURE = 'x-oss-signature'

export type SignatureCheck = 'ok' | 'expired' | 'bad-signature'

export class UrlSigner {
  constructor(
    private readonly secret: string,
    private readonly baseUrl: () => string,
    private readonly accessKeyId: string,
  ) {}

  sign(method: 'GET' | 'PUT', path: string, params: Record<string, string>, expiresSec: number): string {
    const query = new URLSearchParams({
      ...params,
      'x-oss-access-key-id': this.accessKeyId,
      'x-oss-expires': String(expiresSec),
      'x-oss-signature-version': 'OSS2',
    })
    query.sort()
    query.set(SIGNATURE, this.mac(method, path, query))
    return `${this.baseUrl()}${path}?${query.toString()}`
  }

  verify(method: string, url: URL, nowMs: number, forceExpired: boolean): SignatureCheck {
    const given = url.searchParams.get(SIGNATURE) ?? ''
    const rest = new URLSearchParams(url.searchParams)
    rest.delete(SIGNATURE)
    rest.sort()
    // HEAD is a GET without a body; it is covered by the GET signature.
    const signedMethod = method === 'HEAD' ? 'GET' : method
    const expected = Buffer.from(this.mac(signedMethod, url.pathname, rest))
    const actual = Buffer.from(given)
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return 'bad-signature'
    const expires = Number(rest.get('x-oss-expires'))
    if (forceExpired || !Number.isFinite(expires) || expires * 1000 <= nowMs) return 'expired'
    return 'ok'
  }

  private mac(method: string, path: string, query: URLSearchParams): string {
    return createHmac('sha256', this.secret).update(`${method}\n${path}\n${query.toString()}`).digest('base64url')
  }
}
