/**
 * Identifier shapes as observed on the real service (docs/api-notes.md §1.4), so clients that sniff them behave the same.
 */
import { randomBytes, randomInt } from 'node:crypto'

/** 40 lowercase hex whose first 8 digits are the creation unix time, ObjectId-like (file_id, revision_id). */
export function newFileId(nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0')
    .slice(-8)
  return seconds + randomBytes(16).toString('hex')
}

/** upload_id: 32 UPPER-case hex. */
export function newUploadId(): string {
  return randomBytes(16).toString('hex').toUpperCase()
}

/** user_id (= JWT sub): 32 lowercase hex. */
export function newUserId(): string {
  return randomBytes(16).toString('hex')
}

/** drive ids are decimal digits sent as strings, e.g. "210364031". */
export function newDriveId(): string {
  return String(randomInt(100_000_000, 999_999_999))
}

/** requestId of error bodies; the real ones are upper-case UUIDs. */
export function newRequestId(): string {
  const h = randomBytes(16).toString('hex').toUpperCase()
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

export function newHex(bytes: number): string {
  return randomBytes(bytes).toString('hex')
}
