/**
 * Capabilities our own sources add beyond the contract's `UploadSource` (docs/contract.md §2). The uploader discovers them by
 * duck typing, so any host-made source still works (it is spooled when random access is needed).
 */
import type { UploadSource, UploadSourceIdentity } from '../../host/types.js'

export type ChunkSink = (chunk: Uint8Array) => void

export interface SourceInternals {
  /**
   * Makes `readSync` (and re-reads of any range) possible. A non-seekable source spools itself to a temporary file
   * here, handing every byte to `onChunk` on the way so the caller can hash in the same pass. Resolves `true` when
   * the whole content went through `onChunk`, `false` when the source was already seekable and did not read it.
   */
  prepareRandomAccess(signal?: AbortSignal, onChunk?: ChunkSink): Promise<boolean>
  /**
   * Bytes [start, end) read synchronously, after `prepareRandomAccess` resolved. Needed because the rapid-upload
   * proof is computed inside the request-body function, which receives the access token synchronously (docs/api-notes.md §6.6).
   */
  readSync(start: number, end: number): Uint8Array
  /**
   * Called once every byte was read, before `complete`: a stream that still has bytes past its declared size, or a
   * file that changed while it was read, throws here (docs/peers-and-pains.md #11: never complete a truncated/mixed file).
   */
  verifyEnd?(signal?: AbortSignal): Promise<void>
  /**
   * Fills `target` with the bytes from `position` on; resolves the count (short only at the end of the data). Lets the
   * uploader read parts into two reused buffers instead of allocating a fresh one per chunk, which keeps the peak
   * RSS of a multi-GiB upload flat (garbage part buffers are otherwise only reclaimed when V8 gets round to it).
   */
  readInto?(target: Uint8Array, position: number, signal?: AbortSignal): Promise<number>
  /** What the source is (a file's path, size, mtime, edge hashes), for resuming its upload in a later run. */
  identity?(): Promise<UploadSourceIdentity>
}

export type InternalSource = UploadSource & SourceInternals

export function canReadInto(
  source: UploadSource,
): source is UploadSource & Required<Pick<SourceInternals, 'readInto'>> {
  return typeof (source as Partial<SourceInternals>).readInto === 'function'
}

export function hasInternals(source: UploadSource): source is InternalSource {
  const s = source as Partial<SourceInternals>
  return typeof s.prepareRandomAccess === 'function' && typeof s.readSync === 'function'
}

/** Reads up to 4 MiB at a time: large enough for hashing at the speed of Node's crypto, small enough to stay lean. */
export const READ_CHUNK = 4 * 1024 * 1024

export function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8')
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk)
  throw new TypeError(`upload source yielded a ${typeof chunk}, expected bytes`)
}

export function identityOf(source: UploadSource): Promise<UploadSourceIdentity> | undefined {
  const s = source as Partial<SourceInternals>
  return typeof s.identity === 'function' ? s.identity() : undefined
}
