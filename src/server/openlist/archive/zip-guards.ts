/**
 * What makes a zip a bomb, checked before anything is written (RELIABILITY.md "Zip archives cost what they should"):
 * central records whose data share bytes (30 records on one 50 MiB deflate stream made a 52 KB zip extract 1,000 MiB),
 * an entry that inflates far beyond what deflate gives real files, and a request whose declared sizes add up past the
 * server's extraction cap. Sizes are the declared ones; yauzl stops a stream that inflates past its declared size
 * ("too many bytes in the stream"), so the declared total is also the most that can be written.
 */
import { DriverError } from '../../../errors/index.js'

/** Bytes one decompress request may write, unless `serve --archive-extract-limit` says otherwise. */
export const DEFAULT_EXTRACT_LIMIT = 16 * 1024 ** 3

/** Every entry takes at least its 30-byte local header plus its compressed data (APPNOTE 4.3.7). */
const LOCAL_HEADER = 30
/** Above this size an entry must not inflate more than MAX_RATIO times its compressed size. */
const RATIO_FROM_BYTES = 1024 * 1024
/** Deflate tops out near 1,032:1; real files (text, logs, databases) stay well under this. */
export const MAX_RATIO = 200

interface Span {
  path: string
  offset: number
  compressedSize: number
}

/** The first two entries whose data ranges overlap, or undefined. O(n log n). */
export function overlappingEntries(entries: readonly Span[]): [string, string] | undefined {
  const sorted = [...entries].sort((a, b) => a.offset - b.offset)
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!
    const cur = sorted[i]!
    if (cur.offset < prev.offset + LOCAL_HEADER + prev.compressedSize) return [prev.path, cur.path]
  }
  return undefined
}

interface Planned {
  path: string
  size: number
  compressedSize: number
  compressed: boolean
}

/** Refuses, before anything is written, a set of entries that would extract past `limit` bytes or is a bomb. */
export function checkExtraction(files: readonly Planned[], limit: number): void {
  let total = 0
  for (const f of files) {
    if (f.compressed && f.size > RATIO_FROM_BYTES && f.size > MAX_RATIO * Math.max(1, f.compressedSize))
      throw new DriverError(
        'NOT_SUPPORTED',
        `"${f.path}" is refused: it would inflate ${f.compressedSize} bytes to ${f.size} bytes ` +
          `(more than ${MAX_RATIO}:1, a zip bomb)`,
      )
    total += f.size
  }
  if (total > limit)
    throw new DriverError(
      'NOT_SUPPORTED',
      `extracting ${total} bytes is refused: more than the server's limit of ${limit} bytes per request ` +
        `(serve --archive-extract-limit)`,
    )
}
