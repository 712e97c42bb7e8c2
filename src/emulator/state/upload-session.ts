/**
 * An upload between `create` and `complete` (docs/api-notes.md §6). Parts must arrive in order (sequential mode,
 * `parallelUpload:false`), so the running SHA-1 of the stored parts is kept as they stream in: `complete` then
 * finalises the hash without re-reading gigabytes. A failed part PUT is hashed into a copy that is dropped.
 */
import { createHash, type Hash } from 'node:crypto'
import { discardSegments, type Segment } from './blob-store.js'

export const MAX_PART_NUMBER = 10_000

export interface StoredPart {
  partNumber: number
  size: number
  etag: string
  segment: Segment
}

export class UploadSession {
  readonly parts = new Map<number, StoredPart>()
  /** Part numbers whose PUT is streaming right now. */
  readonly inflight = new Set<number>()
  /** SHA-1 of parts 1..n stored so far. */
  hash: Hash = createHash('sha1')
  /** First bytes of the content, up to 1024, for the pre-hash index. */
  head: Buffer = Buffer.alloc(0)
  bytes = 0
  state: 'uploading' | 'completed' = 'uploading'

  constructor(
    readonly uploadId: string,
    readonly userId: string,
    readonly driveId: string,
    readonly fileId: string,
    /** part_number → part_size the client declared (null when not given). */
    readonly declaredParts: Map<number, number | null>,
    readonly declaredHash: string | undefined,
    readonly rapid: boolean,
    readonly createdAt: number,
  ) {}

  /** The highest part number n such that parts 1..n are all stored. */
  get storedPrefix(): number {
    let n = 0
    while (this.parts.has(n + 1)) n++
    return n
  }

  commitPart(part: StoredPart, hashAfter: Hash, headAfter: Buffer): void {
    this.parts.set(part.partNumber, part)
    this.hash = hashAfter
    this.head = headAfter
    this.bytes += part.size
  }

  segments(): Segment[] {
    return [...this.parts.values()].sort((a, b) => a.partNumber - b.partNumber).map((p) => p.segment)
  }

  /** Abandoned (deleted before complete): drop the stored parts. */
  discard(): void {
    discardSegments(this.segments())
    this.parts.clear()
  }
}
