/** Signature and expiry checks shared by every data-plane request, answered as OSS XML (docs/api-notes.md §4.2). */
import type { ServerResponse } from 'node:http'
import { sendOssError } from '../http-io.js'
import type { EmulatorState } from '../state/emulator-state.js'

/** Returns false (after answering) when the URL is tampered with or expired. */
export function checkSignedUrl(state: EmulatorState, method: string, url: URL, res: ServerResponse): boolean {
  const check = state.signer.verify(method, url, state.now(), state.faults.expireUrlsEarly)
  if (check === 'bad-signature') {
    sendOssError(
      res,
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
    )
    return false
  }
  if (check === 'expired') {
    const expires = Number(url.searchParams.get('x-oss-expires'))
    sendOssError(res, 403, 'AccessDenied', 'Request has expired.', {
      Expires: Number.isFinite(expires) ? new Date(expires * 1000).toISOString() : '',
      ServerTime: new Date(state.now()).toISOString(),
    })
    return false
  }
  return true
}
