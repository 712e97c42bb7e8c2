/**
 * Content blobs, shared between files (copy and rapid upload link the same blob, as on the real service), plus the
 * global content index rapid upload consults (docs/api-notes.md §10 item 8): by SHA-1 and by (size, SHA-1 of the first 1 KiB).
 * A blob is a list of segments — in memory, on disk (one file per uploaded part, so `complete` never copies a
 * multi-GiB file), or generated on the fly from a seed — and is always read as a stream.
 */
import { createHash } from 'node:crypto'
import { createReadStream, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generatedBytes } from '../prng.js'

export type Segment =
  | { kind: 'mem'; data: Buffer }
  | { kind: 'file'; path: string; size: number }
  | { kind: 'gen'; seed: number; size: number }

export interface Blob {
  id: number
  size: number
  /** Upper-case SHA-1, as the server returns it (docs/api-notes.md §1.4). */
  sha1: string
  /** Lower-case SHA-1 of the first min(1024, size) bytes (docs/api-notes.md §6.5). */
  preHash: string
  segments: Segment[]
  refs: number
}

const READ_CHUNK = 256 * 1024

export function segmentSize(s: Segment): number {
  return s.kind === 'mem' ? s.data.byteLength : s.size
}

/** Streams bytes [start, end) of a list of segments, one bounded chunk at a time. */
export async function* readSegments(segments: Segment[], start: number, end: number): AsyncGenerator<Buffer> {
  let offset = 0
  for (const seg of segments) {
    const len = segmentSize(seg)
    const from = Math.max(start, offset)
    const to = Math.min(end, offset + len)
    if (from < to) {
      const a = from - offset
      const b = to - offset
      if (seg.kind === 'mem') {
        yield seg.data.subarray(a, b)
      } else if (seg.kind === 'gen') {
        for (let p = a; p < b; p += READ_CHUNK) yield generatedBytes(seg.seed, p, Math.min(b, p + READ_CHUNK))
      } else {
        for await (const chunk of createReadStream(seg.path, { start: a, end: b - 1, highWaterMark: READ_CHUNK })) {
          yield chunk as Buffer
        }
      }
    }
    offset += len
    if (offset >= end) break
  }
}

export class BlobStore {
  private nextId = 1
  private readonly bySha1 = new Map<string, Blob>()
  private readonly byPreHash = new Map<string, Blob>()

  constructor(readonly storageDir: string | undefined) {}

  /** Hashes the segments by streaming and returns a new blob (refs 0; the caller links it to a file). */
  async fromSegments(segments: Segment[]): Promise<Blob> {
    const size = segments.reduce((n, s) => n + segmentSize(s), 0)
    const full = createHash('sha1')
    for await (const chunk of readSegments(segments, 0, size)) full.update(chunk)
    const head = Buffer.concat(await collect(readSegments(segments, 0, Math.min(1024, size))))
    return this.make(segments, size, full.digest('hex'), createHash('sha1').update(head).digest('hex'))
  }

  /** A blob whose hashes were computed while its bytes streamed in (upload parts). */
  fromHashed(segments: Segment[], size: number, sha1Hex: string, preHashHex: string): Blob {
    return this.make(segments, size, sha1Hex, preHashHex)
  }

  /** Small literal content: in memory, or written to the storage directory when there is one. */
  async fromBytes(bytes: Uint8Array): Promise<Blob> {
    const data = Buffer.from(bytes)
    if (!this.storageDir) return this.fromSegments([{ kind: 'mem', data }])
    const path = join(this.storageDir, `seed-${this.nextId}-${Date.now()}.bin`)
    writeFileSync(path, data)
    return this.fromSegments([{ kind: 'file', path, size: data.byteLength }])
  }

  read(blob: Blob, start = 0, end = blob.size): AsyncGenerator<Buffer> {
    return readSegments(blob.segments, start, end)
  }

  async readBytes(blob: Blob, start: number, end: number): Promise<Buffer> {
    return Buffer.concat(await collect(this.read(blob, start, end)))
  }

  findBySha1(sha1: string): Blob | undefined {
    return this.bySha1.get(sha1.toUpperCase())
  }

  /** pre_hash is compared case-insensitively: iOS sends upper case, others lower (docs/api-notes.md §6.5). */
  findByPreHash(size: number, preHash: string): Blob | undefined {
    return this.byPreHash.get(`${size}:${preHash.toLowerCase()}`)
  }

  ref(blob: Blob): void {
    blob.refs++
    if (!this.bySha1.has(blob.sha1)) this.bySha1.set(blob.sha1, blob)
    const key = `${blob.size}:${blob.preHash}`
    if (!this.byPreHash.has(key)) this.byPreHash.set(key, blob)
  }

  /** Drops one reference; the last one removes the blob from the index and its bytes from disk. */
  unref(blob: Blob): void {
    blob.refs--
    if (blob.refs > 0) return
    if (this.bySha1.get(blob.sha1) === blob) this.bySha1.delete(blob.sha1)
    const key = `${blob.size}:${blob.preHash}`
    if (this.byPreHash.get(key) === blob) this.byPreHash.delete(key)
    discardSegments(blob.segments)
  }

  private make(segments: Segment[], size: number, sha1Hex: string, preHashHex: string): Blob {
    return {
      id: this.nextId++,
      size,
      sha1: sha1Hex.toUpperCase(),
      preHash: preHashHex.toLowerCase(),
      segments,
      refs: 0,
    }
  }
}

export function discardSegments(segments: Segment[]): void {
  for (const s of segments) if (s.kind === 'file') rmSync(s.path, { force: true })
}

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = []
  for await (const c of it) out.push(c)
  return out
}
