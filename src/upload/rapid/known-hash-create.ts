/**
 * Rapid upload of a source whose SHA-1 is known and whose bytes can be read at any offset at a cost (another drive's
 * file behind its download link): no pre-hash round and no hashing, just one create with the content hash and the
 * proof (docs/api-notes.md §6.6). The proof's 8 bytes sit at an offset derived from the access token that sends the
 * request, and the body is built synchronously when it is sent; so the body function names the range it needs when
 * it does not hold it yet, the bytes are fetched once (one Range request), and the create is sent again. Only a token
 * that rotates between the two costs another fetch.
 */
import type { CreateResponse } from '../../api/wire.js'
import type { UploadSource } from '../../host/types.js'
import { PROOF_VERSION, encodeProof, proofRange } from '../../util/proof-code.js'
import type { UploadPort } from '../port.js'

/** A source that can hand over a few bytes at any offset without reading up to them. */
export interface ProofReader {
  readProof(start: number, end: number, signal?: AbortSignal): Promise<Uint8Array>
}

export function proofReaderOf(source: UploadSource): (UploadSource & ProofReader) | undefined {
  const s = source as Partial<ProofReader>
  return typeof s.readProof === 'function' ? (source as UploadSource & ProofReader) : undefined
}

/** Fetches of the proof range before giving up (each one follows a token rotation). */
const MAX_FETCHES = 3

export async function createWithKnownHash(
  port: UploadPort,
  base: Record<string, unknown>,
  source: UploadSource & ProofReader,
  sha1: string,
  signal?: AbortSignal,
): Promise<CreateResponse> {
  let held: { start: number; end: number; bytes: Uint8Array } | undefined
  for (let fetches = 0; ;) {
    // Set by the body function when it does not hold the range its token asks for; it then throws, before sending.
    // Read from here rather than from the error, which the API client wraps.
    let needed: { start: number; end: number } | undefined
    try {
      return await port.create(
        (accessToken: string) => {
          const { start, end } = proofRange(accessToken, source.size)
          if (!held || held.start !== start || held.end !== end) {
            needed = { start, end }
            throw new Error(`the proof bytes [${start}, ${end}) are not read yet`)
          }
          return {
            ...base,
            size: source.size,
            content_hash: sha1,
            content_hash_name: 'sha1',
            proof_version: PROOF_VERSION,
            proof_code: encodeProof(held.bytes),
          }
        },
        signal ? { signal } : {},
      )
    } catch (e) {
      if (!needed || fetches >= MAX_FETCHES) throw e
      fetches++
      const { start, end } = needed
      const bytes = await source.readProof(start, end, signal)
      if (bytes.byteLength !== end - start)
        throw new Error(`${source.name}: the proof read returned ${bytes.byteLength} bytes for [${start}, ${end})`)
      held = { start, end, bytes }
    }
  }
}
