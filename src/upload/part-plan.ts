/**
 * OpenList's part plan (docs/api-notes.md §6.2, OpenList `calPartSize`): 20 MiB parts up to 128 GiB, then tiers whose part size is
 * ceil(tier upper bound / 10 000), so no file up to 1 TiB needs more than 10 000 parts (the API's cap, docs/api-notes.md §3.7);
 * above 1 TiB, 5 GiB parts (the OSS maximum). Matching OpenList's numbers keeps our part URLs and part counts
 * identical to what the service already sees from OpenList.
 */
import { DriverError } from '../errors/index.js'

const KiB = 1024
const MiB = 1024 * KiB
const GiB = 1024 * MiB
const TiB = 1024 * GiB

/** The API accepts at most this many parts per upload (docs/api-notes.md §3.7). */
export const MAX_PARTS = 10_000

/** [inclusive upper bound of the file size, part size] in ascending order; larger files use LARGEST_PART_SIZE. */
const TIERS: ReadonlyArray<readonly [number, number]> = [
  [128 * GiB, 20 * MiB],
  [256 * GiB, 27_487_791],
  [384 * GiB, 41_231_687],
  [512 * GiB, 54_975_582],
  [768 * GiB, 82_463_373],
  [1 * TiB, 109_951_163],
]
const LARGEST_PART_SIZE = 5 * GiB

export interface PlannedPart {
  /** 1-based, as the API numbers parts. */
  number: number
  /** Byte range [start, end) of the source. */
  start: number
  end: number
}

export interface PartPlan {
  partSize: number
  count: number
  parts: PlannedPart[]
}

/** The part size OpenList would choose for a file of `size` bytes. */
export function partSizeFor(size: number): number {
  for (const [upTo, partSize] of TIERS) if (size <= upTo) return partSize
  return LARGEST_PART_SIZE
}

/**
 * Splits `size` bytes into parts. `override` (tests only) forces a smaller part size so multi-part uploads can be
 * exercised with small files; the 10 000-part cap still holds.
 */
export function planParts(size: number, override?: number): PartPlan {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new DriverError(
      'UPLOAD_FAILED',
      `Cannot plan an upload of ${size} bytes: the size must be a non-negative integer`,
    )
  }
  if (override !== undefined && (!Number.isSafeInteger(override) || override <= 0)) {
    throw new DriverError('UPLOAD_FAILED', `Invalid part size override ${override}: must be a positive integer`)
  }
  const partSize = override ?? partSizeFor(size)
  const count = Math.ceil(size / partSize)
  if (count > MAX_PARTS) {
    throw new DriverError(
      'UPLOAD_FAILED',
      `A file of ${size} bytes needs ${count} parts of ${partSize} bytes; AliyunDrive allows at most ${MAX_PARTS}`,
    )
  }
  const parts: PlannedPart[] = []
  for (let i = 0; i < count; i++) {
    const start = i * partSize
    parts.push({ number: i + 1, start, end: Math.min(start + partSize, size) })
  }
  return { partSize, count, parts }
}
