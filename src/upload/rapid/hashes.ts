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

/** Hashes an async stream of chunks, reporting bytes hashed after each chunk. */
export async function sha1OfStream(
  chunks: AsyncIterable<Uint8Array>,
  onBytes?: (hashedSoFar: number) => void,
): Promise<string> {
  const hash = createHash('sha1')
  let total = 0
  for await (const chunk of chunks) {
    hash.update(chunk)
    total += chunk.byteLength
    onBytes?.(total)
  }
  return hash.digest('hex')
}

export function isSha1Hex(value: string): boolean {
  return /^[0-9a-fA-F]{40}$/.test(value)
}
