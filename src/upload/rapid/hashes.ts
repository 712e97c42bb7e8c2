/** SHA-1 helpers for rapid upload (spec §6.5): pre-hash of the first 1 KiB and the full content hash, lower-case hex. */
import { createHash } from 'node:crypto'

/** Rapid upload's pre-hash covers the first 1024 bytes (or the whole file if shorter). */
export const PRE_HASH_BYTES = 1024

export function sha1Hex(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex')
}

export function preHashOf(content: Uint8Array): string {
  return sha1Hex(content.subarray(0, PRE_HASH_BYTES))
}

export function isSha1Hex(value: string): boolean {
  return /^[0-9a-fA-F]{40}$/.test(value)
}
