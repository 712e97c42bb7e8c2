/** SHA-1 helpers for rapid upload (docs/api-notes.md §6.5): pre-hash of the first 1 KiB and the full content hash, lower-case hex. */
import type { UploadSource } from '../../host/types.js'
import { isSha1Hex, sha1Hex } from '../../util/sha1-hex.js'
import { toBytes } from '../sources/internal-source.js'

export { isSha1Hex, sha1Hex }

/** Rapid upload's pre-hash covers the first 1024 bytes (or the whole file if shorter). */
export const PRE_HASH_BYTES = 1024

/** The pre-hash rule, the one place it is written: SHA-1 of the first 1024 bytes, lower-case hex. */
export function preHashOf(content: Uint8Array): string {
  return sha1Hex(content.subarray(0, PRE_HASH_BYTES))
}

/** The pre-hash of a source: reads only its first KiB (never the rest) and applies `preHashOf` to it. */
export async function preHashOfSource(source: UploadSource, signal?: AbortSignal): Promise<string> {
  const head: Uint8Array[] = []
  for await (const chunk of source.read(0, Math.min(PRE_HASH_BYTES, source.size), signal)) head.push(toBytes(chunk))
  return preHashOf(Buffer.concat(head))
}
