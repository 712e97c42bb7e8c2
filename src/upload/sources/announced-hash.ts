/**
 * A source's `sha1` is a claim when it comes from a client (an `OC-Checksum` or `X-File-Sha1` header), and so is an
 * MD5 a client announces (`OC-Checksum: MD5:`, `X-File-Md5`): the bytes actually read must have it before anything
 * is completed, or rapid upload would store the announced file for a body that differs (docs/contract.md §4
 * "Upload"). The error is marked with the algorithm, so a server can answer 412 naming the header that carried it.
 */
import { DriverError, isDriverError } from '../../errors/index.js'

export type AnnouncedAlgorithm = 'sha1' | 'md5'

const MARKS: Record<AnnouncedAlgorithm, string> = { sha1: 'AnnouncedSha1Mismatch', md5: 'AnnouncedMd5Mismatch' }
const LABELS: Record<AnnouncedAlgorithm, string> = { sha1: 'SHA-1', md5: 'MD5' }

export function announcedHashMismatch(
  name: string,
  actual: string,
  announced: string,
  algorithm: AnnouncedAlgorithm = 'sha1',
): DriverError {
  const label = LABELS[algorithm]
  return new DriverError(
    'UPLOAD_FAILED',
    `${name}: the content's ${label} ${actual} differs from the ${label} announced for it (${announced}); nothing was stored`,
    { apiCode: MARKS[algorithm] },
  )
}

/** The algorithm whose announced value the bytes did not have, or undefined for any other error. */
export function mismatchedAlgorithm(e: unknown): AnnouncedAlgorithm | undefined {
  if (!isDriverError(e)) return undefined
  return (Object.keys(MARKS) as AnnouncedAlgorithm[]).find((a) => MARKS[a] === e.apiCode)
}

export function isAnnouncedHashMismatch(e: unknown): boolean {
  return mismatchedAlgorithm(e) !== undefined
}

/** A source's check of its claimed hashes over the bytes it has not handed over yet (fromStream's `verifyClaim`). */
export function claimCheckOf(source: object): ((signal?: AbortSignal) => Promise<void>) | undefined {
  const check = (source as { verifyClaim?: (signal?: AbortSignal) => Promise<void> }).verifyClaim
  return typeof check === 'function' ? check.bind(source) : undefined
}
