/**
 * A non-seekable source (docs/contract.md §2 `fromStream`). Bytes are pulled from the stream once, in order, and handed on;
 * nothing is kept except the first KiB (rapid upload's pre-hash, docs/api-notes.md §6.5, is taken before the first part is read).
 * Random access is only needed when rapid upload gets PreHashMatched (the whole SHA-1 first, then the proof bytes at
 * a token-derived offset, and the bytes again if the server does not link them): `prepareRandomAccess` then spools the
 * stream to a temporary file while the caller hashes it in the same pass. Re-sends of a failed part do not need the
 * stream again: the uploader keeps the part it is sending in memory. `dispose` removes the spool (docs/peers-and-pains.md #16).
 */
import { createHash, type Hash } from 'node:crypto'
import { DriverError } from '../../errors/index.js'
import type { UploadSource } from '../../host/types.js'
import { abortable } from '../../util/sleep.js'
import type { SourceMetaOptions } from './from-buffer.js'
import { toBytes, type ChunkSink, type InternalSource } from './internal-source.js'
import { TempSpool } from './temp-spool.js'
import { announcedHashMismatch, type AnnouncedAlgorithm } from './announced-hash.js'

/** Bytes kept from the start of the stream: the pre-hash covers the first 1024 (docs/api-notes.md §6.5). */
const HEAD_BYTES = 1024

export interface FromStreamOptions extends SourceMetaOptions {
  name: string
  /** Declared size: the API needs it before the first byte is sent (part plan, docs/api-notes.md §6.1). */
  size: number
  /** Where the spool directory is created; default `os.tmpdir()`. */
  tmpDir?: string
  /**
   * An MD5 a client announced (any case): checked like a claimed `sha1` against every byte pulled, once the stream
   * ended and before the upload completes (announced-hash.ts). AliyunDrive does not use it.
   */
  md5?: string
}

type Readable = AsyncIterable<unknown> & { destroy?: (error?: Error) => void }

export function fromStream(readable: Readable, opts: FromStreamOptions): UploadSource {
  const { size } = opts
  const iterator = readable[Symbol.asyncIterator]()
  let pulled = 0
  let ended = false
  let head = Buffer.alloc(0)
  /** Bytes pulled but not yet handed on (a chunk that straddled the end of the last range). */
  let pending: { start: number; bytes: Uint8Array } | undefined
  let spool: TempSpool | undefined
  let spooled = false
  let reading = false
  /** The spool holds only a prefix [0, spool.written) read for a rapid-upload proof; the stream goes on after it. */
  let prefixOnly = false
  let appending = false
  /** A claimed sha1 or md5 is checked against every byte pulled (announced-hash.ts). */
  const claims = claimsOf(opts)
  const claim = claims.find((c) => c.algorithm === 'sha1')
  /** Set once the stream ended and the claims were compared: the digests can be taken only once. */
  let claimsSettled: DriverError | null | undefined
  const settleClaims = () => {
    claimsSettled ??= checkClaims(opts.name, claims)
    if (claimsSettled) throw claimsSettled
  }

  const tooLong = () =>
    new DriverError('UPLOAD_FAILED', `the stream for ${opts.name} yielded more bytes than its declared size of ${size}`)

  /** The next chunk of the stream (the pending leftover first), appended to the spool when spooling. */
  const pull = async (signal?: AbortSignal): Promise<{ start: number; bytes: Uint8Array } | undefined> => {
    if (pending) {
      const p = pending
      pending = undefined
      return p
    }
    while (!ended) {
      const r = await abortable(iterator.next(), signal)
      if (r.done) {
        ended = true
        return undefined
      }
      const bytes = toBytes(r.value)
      if (bytes.byteLength === 0) continue
      const start = pulled
      pulled += bytes.byteLength
      if (start < HEAD_BYTES) head = Buffer.concat([head, bytes.subarray(0, HEAD_BYTES - start)])
      for (const c of claims) c.hash.update(bytes)
      // A pulled chunk is the stream's, never changed after: queued, so the next one is read while it is written.
      if (spool && (appending || !prefixOnly)) await spool.queue(bytes)
      return { start, bytes }
    }
    return undefined
  }

  async function* readFromStream(start: number, end: number, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    let pos = start
    const cursor = pending ? pending.start : pulled
    if (pos < cursor) {
      // Already pulled: only the head is still here (the uploader never asks for anything else twice).
      const fromHead = Math.min(end, cursor, head.byteLength)
      if (pos < fromHead) {
        yield head.subarray(pos, fromHead)
        pos = fromHead
      }
      if (pos < Math.min(end, cursor)) {
        throw new DriverError(
          'UPLOAD_FAILED',
          `the stream for ${opts.name} cannot be read again from byte ${pos}: it is not seekable and was not spooled`,
        )
      }
    }
    while (pos < end) {
      const chunk = await pull(signal)
      if (!chunk) return // short stream: the consumer sees the count and names the part
      const chunkEnd = chunk.start + chunk.bytes.byteLength
      if (chunkEnd <= pos) continue // skipping forward
      const from = Math.max(pos, chunk.start) - chunk.start
      const to = Math.min(end, chunkEnd) - chunk.start
      if (to < chunk.bytes.byteLength) pending = { start: chunk.start + to, bytes: chunk.bytes.subarray(to) }
      pos = chunk.start + to
      yield chunk.bytes.subarray(from, to)
    }
  }

  /**
   * The proof's bytes of a stream whose sha1 is claimed (docs/api-notes.md §6.6): the stream is read up to them and
   * only that prefix is spooled (a normal upload still needs it if the service does not link the content).
   */
  async function readProof(start: number, end: number, signal?: AbortSignal): Promise<Uint8Array> {
    if (spooled) return spool!.readSync(start, end)
    if (!spool) {
      const known = pending ? pending.start : pulled
      if (known > head.byteLength) throw new Error('fromStream: a proof read after the stream was consumed')
      spool = await TempSpool.create(opts.tmpDir)
      prefixOnly = true
      await spool.append(head.subarray(0, known))
      if (pending) await spool.append(pending.bytes)
      pending = undefined
    }
    appending = true
    try {
      while (spool.written < end) {
        if (!(await pull(signal))) {
          throw new DriverError('UPLOAD_FAILED', `the stream for ${opts.name} ended at byte ${pulled} of ${size}`)
        }
      }
    } finally {
      appending = false
    }
    await spool.flush()
    return Buffer.from(spool.readSync(start, end))
  }

  /** After a rapid upload: the rest of the stream is read and the whole must have the claimed hashes. */
  async function verifyClaim(signal?: AbortSignal): Promise<void> {
    if (claims.length === 0) return
    if (pending) pending = undefined // already hashed when it was pulled
    while (await pull(signal)) {
      if (pulled > size) throw tooLong()
    }
    if (pulled !== size) {
      throw new DriverError('UPLOAD_FAILED', `the stream for ${opts.name} yielded ${pulled} bytes, not ${size}`)
    }
    settleClaims()
  }

  const source: InternalSource = {
    name: opts.name,
    size,
    ...(opts.modified ? { modified: opts.modified } : {}),
    ...(opts.created ? { created: opts.created } : {}),
    ...(opts.sha1 ? { sha1: opts.sha1 } : {}),
    async *read(start: number, end: number, signal?: AbortSignal) {
      if (end <= start) return
      if (spooled && spool) {
        yield* spool.read(start, end, signal)
        return
      }
      if (reading) throw new Error('fromStream: overlapping reads of a non-seekable stream')
      reading = true
      try {
        let from = start
        if (prefixOnly && spool && from < spool.written) {
          // The part of the stream read for a proof is on disk; the rest still comes from the stream.
          const stop = Math.min(end, spool.written)
          yield* spool.read(from, stop, signal)
          from = stop
        }
        if (from < end) yield* readFromStream(from, end, signal)
      } finally {
        reading = false
      }
    },
    async prepareRandomAccess(signal?: AbortSignal, onChunk?: ChunkSink) {
      if (spooled) return false
      if (prefixOnly) throw new Error('fromStream: prepareRandomAccess after a proof read')
      // Everything pulled so far must still be in memory (head + pending leftover) to be written to the spool.
      const known = pending ? pending.start : pulled
      if (known > head.byteLength) {
        throw new DriverError(
          'UPLOAD_FAILED',
          `the stream for ${opts.name} was already consumed past byte ${head.byteLength}; it cannot be spooled any more`,
        )
      }
      spool = await TempSpool.create(opts.tmpDir)
      const prefix: Uint8Array[] = [head.subarray(0, known)]
      if (pending) prefix.push(pending.bytes)
      pending = undefined
      for (const bytes of prefix) {
        if (bytes.byteLength === 0) continue
        await spool.append(bytes)
        onChunk?.(bytes)
      }
      for (let chunk = await pull(signal); chunk; chunk = await pull(signal)) onChunk?.(chunk.bytes)
      await spool.flush()
      spooled = true
      if (spool.written !== size) {
        throw new DriverError(
          'UPLOAD_FAILED',
          `the stream for ${opts.name} yielded ${spool.written} bytes but its declared size is ${size}`,
        )
      }
      settleClaims()
      return true
    },
    readSync(start: number, end: number) {
      if (spooled && spool) return spool.readSync(start, end)
      if (end <= head.byteLength) return head.subarray(start, end)
      throw new Error('fromStream: readSync before prepareRandomAccess')
    },
    async verifyEnd(signal?: AbortSignal) {
      if (spooled) return // counted and checked when spooling
      if (pending && pending.bytes.byteLength > 0) throw tooLong()
      if (await pull(signal)) throw tooLong()
      if (pulled === size) settleClaims()
    },
    ...(claim ? { readProof } : {}),
    ...(claims.length > 0 ? { verifyClaim } : {}),
    async dispose() {
      await spool?.dispose()
      if (!ended) {
        ended = true
        readable.destroy?.()
        void Promise.resolve(iterator.return?.()).catch(() => {})
      }
    },
  }
  return source
}

interface Claim {
  algorithm: AnnouncedAlgorithm
  announced: string
  hash: Hash
}

function claimsOf(opts: FromStreamOptions): Claim[] {
  const claims: Claim[] = []
  for (const algorithm of ['sha1', 'md5'] as const) {
    const announced = opts[algorithm]?.toLowerCase()
    if (announced) claims.push({ algorithm, announced, hash: createHash(algorithm) })
  }
  return claims
}

/** The first claim the bytes hashed do not have, as the error to throw; null when they have them all. */
function checkClaims(name: string, claims: Claim[]): DriverError | null {
  for (const c of claims) {
    const actual = c.hash.digest('hex')
    if (actual !== c.announced) return announcedHashMismatch(name, actual, c.announced, c.algorithm)
  }
  return null
}
