/**
 * The rapid-upload proof code, version v1 (docs/api-notes.md §6.6):
 *   offset = BigInt('0x' + md5(accessToken).hex[0..16]) mod size; proof = base64(bytes[offset, min(offset + 8, size)))
 * The 64-bit value exceeds 2^53, so Number arithmetic gives wrong offsets (docs/peers-and-pains.md #15): BigInt only.
 */
import { createHash } from 'node:crypto'

export const PROOF_VERSION = 'v1'
const PROOF_LENGTH = 8

/** The byte range [start, end) of the file that the proof for `accessToken` covers. Empty for an empty file. */
export function proofRange(accessToken: string, size: number): { start: number; end: number } {
  if (size <= 0) return { start: 0, end: 0 }
  const md5Hex = createHash('md5').update(accessToken, 'utf8').digest('hex')
  const start = Number(BigInt(`0x${md5Hex.slice(0, 16)}`) % BigInt(size))
  return { start, end: Math.min(start + PROOF_LENGTH, size) }
}

/** Encodes the proof bytes (as read from `proofRange`) in padded standard base64. */
export function encodeProof(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

/** Convenience for whole buffers: the proof code of `content` for `accessToken`. */
export function proofCodeOf(accessToken: string, content: Uint8Array): string {
  const { start, end } = proofRange(accessToken, content.byteLength)
  return encodeProof(content.subarray(start, end))
}
