/** SHA-1 helpers for rapid upload (docs/api-notes.md §6.5): pre-hash of the first 1 KiB and the full content hash, lower-case hex. */
import { isSha1Hex, sha1Hex } from '../../util/sha1-hex.js'

export { isSha1Hex, sha1Hex }

/** Rapid upload's pre-hash covers the first 1024 bytes (or the whole file if shorter). */
export const PRE_HASH_BYTES = 1024

export function preHashOf(content: Uint8Array): string {
  return sha1Hex(content.subarray(0, PRE_HASH_BYTES))
}
