/**
 * The whole-file SHA-1 and random access that rapid upload needs after PreHashMatched (docs/api-notes.md §6.6): the proof bytes sit
 * at an offset derived from the access token, and the body that carries them is built synchronously when the request
 * is sent. Our own sources hash in one pass of large reads (and a stream spools itself in that same pass); any other
 * source is copied to a temporary spool while it is hashed. A known `sha1` skips hashing only when the source is
 * seekable (a file the caller vouches for); a stream is always hashed and must match it (sources/announced-hash.ts).
 */
import { createHash } from 'node:crypto'
import { DriverError, throwIfAborted } from '../../errors/index.js'
import type { UploadSource } from '../../host/types.js'
import { canReadInto, hasInternals, READ_CHUNK, toBytes } from '../sources/internal-source.js'
import { TempSpool } from '../sources/temp-spool.js'
import type { ProgressReporter } from '../progress.js'
import { announcedHashMismatch } from '../sources/announced-hash.js'
import { isSha1Hex } from './hashes.js'

export interface RandomAccessContent {
  /** Lower-case hex. */
  sha1: string
  readSync(start: number, end: number): Uint8Array
  /** Removes a spool made here (sources dispose their own). */
  dispose(): Promise<void>
}

export async function hashForRapidUpload(
  source: UploadSource,
  progress: ProgressReporter,
  signal?: AbortSignal,
): Promise<RandomAccessContent> {
  const known = source.sha1 && isSha1Hex(source.sha1) ? source.sha1.toLowerCase() : undefined
  const hash = createHash('sha1')
  let hashed = 0
  const onChunk = (chunk: Uint8Array) => {
    hash.update(chunk)
    hashed += chunk.byteLength
    progress.report('hashing', hashed)
  }
  const checkCount = () => {
    if (hashed !== source.size) {
      throw new DriverError(
        'UPLOAD_FAILED',
        `${source.name}: the source yielded ${hashed} bytes while hashing, but its declared size is ${source.size}`,
      )
    }
  }
  const settle = (digest: string | undefined) => {
    if (digest && known && digest !== known) throw announcedHashMismatch(source.name, digest, known)
    const sha1 = digest ?? known
    if (!sha1) throw new Error('unreachable: no hash')
    progress.finish('hashing')
    return sha1
  }

  if (hasInternals(source)) {
    // A stream that spools itself is hashed on the way even when its sha1 is known: that sha1 is a client's claim
    // (an OC-Checksum or X-File-Sha1 header), and the proof must never vouch for bytes we did not check.
    const streamed = await source.prepareRandomAccess(signal, onChunk)
    if (streamed) checkCount()
    let digest: string | undefined
    if (streamed) digest = hash.digest('hex')
    else if (!known) {
      if (canReadInto(source)) await readAllInto(source, onChunk, signal)
      else {
        for await (const chunk of source.read(0, source.size, signal)) {
          throwIfAborted(signal)
          onChunk(toBytes(chunk))
        }
      }
      checkCount()
      digest = hash.digest('hex')
    }
    return { sha1: settle(digest), readSync: (s, e) => source.readSync(s, e), dispose: async () => {} }
  }

  // A host-made source: copy it to a spool while hashing, so the proof bytes can be read synchronously.
  const spool = await TempSpool.create()
  try {
    for await (const raw of source.read(0, source.size, signal)) {
      throwIfAborted(signal)
      const chunk = toBytes(raw)
      await spool.append(chunk)
      onChunk(chunk)
    }
    checkCount()
    return {
      sha1: settle(hash.digest('hex')),
      readSync: (s, e) => spool.readSync(s, e),
      dispose: () => spool.dispose(),
    }
  } catch (e) {
    await spool.dispose()
    throw e
  }
}

/**
 * Reads the whole source through two reused buffers, the next read in flight while the current chunk is hashed: disk
 * and CPU overlap, and no fresh 4 MiB buffer is faulted in per chunk (bench/hashing: a fresh buffer per chunk made
 * this path 0.69× a plain read loop).
 */
async function readAllInto(
  source: UploadSource & { readInto(t: Uint8Array, p: number, s?: AbortSignal): Promise<number> },
  onChunk: (c: Uint8Array) => void,
  signal?: AbortSignal,
): Promise<void> {
  const size = Math.min(READ_CHUNK, source.size)
  const buffers = [Buffer.allocUnsafeSlow(size), Buffer.allocUnsafeSlow(size)] as const
  const readAt = (i: number, pos: number): Promise<number> => {
    const p = source.readInto(buffers[i % 2]!, pos, signal)
    p.catch(() => {}) // observed below; this only keeps an abandoned read from being an unhandled rejection
    return p
  }
  let pos = 0
  let i = 0
  let pending = source.size > 0 ? readAt(0, 0) : Promise.resolve(0)
  while (pos < source.size) {
    const n = await pending
    if (n === 0) return // truncated: the caller's byte count names it
    const current = buffers[i % 2]!.subarray(0, n)
    pos += n
    i++
    pending = pos < source.size ? readAt(i, pos) : Promise.resolve(0)
    throwIfAborted(signal)
    onChunk(current)
  }
}
