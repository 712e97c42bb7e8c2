/**
 * Checks of the completed file against the source (docs/contract.md §4 "Upload"; docs/peers-and-pains.md #11: nobody verified what
 * `complete` returned, so truncated files passed as uploaded).
 */
import type { WireFile } from '../api/wire.js'
import { DriverError } from '../errors/index.js'

export function verifyCompleted(file: WireFile, expected: { name: string; size: number; sha1?: string }): void {
  if (file.type !== 'file') {
    throw new DriverError('UPLOAD_FAILED', `openFile/complete for ${expected.name} returned a ${file.type}, not a file`)
  }
  if (typeof file.size === 'number' && file.size !== expected.size) {
    throw new DriverError(
      'UPLOAD_FAILED',
      `${expected.name} was completed with ${file.size} bytes, but ${expected.size} were uploaded`,
    )
  }
  if (typeof file.size !== 'number') {
    throw new DriverError(
      'UPLOAD_FAILED',
      `openFile/complete for ${expected.name} did not report the file size; cannot verify the upload`,
    )
  }
  const remote = file.content_hash?.toLowerCase()
  if (
    expected.sha1 &&
    remote &&
    (file.content_hash_name ?? 'sha1').toLowerCase() === 'sha1' &&
    remote !== expected.sha1.toLowerCase()
  ) {
    throw new DriverError(
      'UPLOAD_FAILED',
      `${expected.name} was completed with SHA-1 ${remote}, but the uploaded content has ${expected.sha1.toLowerCase()}`,
    )
  }
}
