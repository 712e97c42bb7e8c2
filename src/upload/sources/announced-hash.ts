/**
 * A source's `sha1` is a claim when it comes from a client (an `OC-Checksum` or `X-File-Sha1` header): the bytes
 * actually read must have it before anything is completed, or rapid upload would store the announced file for a
 * body that differs (docs/contract.md §4 "Upload"). The error is marked so a server can answer 412 naming the header.
 */
import { DriverError, isDriverError } from '../../errors/index.js'

const MARK = 'AnnouncedSha1Mismatch'

export function announcedHashMismatch(name: string, actual: string, announced: string): DriverError {
  return new DriverError(
    'UPLOAD_FAILED',
    `${name}: the content's SHA-1 ${actual} differs from the SHA-1 announced for it (${announced}); nothing was stored`,
    { apiCode: MARK },
  )
}

export function isAnnouncedHashMismatch(e: unknown): boolean {
  return isDriverError(e) && e.apiCode === MARK
}

/** A source's check of its claimed SHA-1 over the bytes it has not handed over yet (fromStream's `verifyClaim`). */
export function claimCheckOf(source: object): ((signal?: AbortSignal) => Promise<void>) | undefined {
  const check = (source as { verifyClaim?: (signal?: AbortSignal) => Promise<void> }).verifyClaim
  return typeof check === 'function' ? check.bind(source) : undefined
}
