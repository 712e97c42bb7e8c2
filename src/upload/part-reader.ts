/**
 * Reads one part of the source into memory, checking the byte count against the plan. A source that yields more or
 * fewer bytes than it declared fails here, naming the part and the counts, long before `complete` (docs/peers-and-pains.md
 * #11: truncated files reported as uploaded).
 */
import { DriverError, throwIfAborted } from '../errors/index.js'
import type { UploadSource } from '../host/types.js'
import type { PlannedPart } from './part-plan.js'
import { canReadInto, toBytes } from './sources/internal-source.js'

export interface PartBytes {
  chunks: Uint8Array[]
  length: number
}

/** `slot`, when given and the source can fill it, receives the part (no allocation); else chunks are collected. */
export async function readPart(
  source: UploadSource,
  part: PlannedPart,
  count: number,
  signal?: AbortSignal,
  slot?: Uint8Array,
): Promise<PartBytes> {
  const expected = part.end - part.start
  if (slot && slot.byteLength >= expected && canReadInto(source)) {
    const target = slot.subarray(0, expected)
    const length = await source.readInto(target, part.start, signal)
    if (length !== expected) throw shortRead(source, part, count, length, expected)
    return { chunks: [target], length }
  }
  const chunks: Uint8Array[] = []
  let length = 0
  for await (const raw of source.read(part.start, part.end, signal)) {
    throwIfAborted(signal)
    const chunk = toBytes(raw)
    length += chunk.byteLength
    if (length > expected) {
      throw new DriverError(
        'UPLOAD_FAILED',
        `part ${part.number} of ${count}: the source yielded more than the ${expected} bytes of bytes [${part.start}, ${part.end}) ` +
          `(source size ${source.size})`,
      )
    }
    if (chunk.byteLength > 0) chunks.push(chunk)
  }
  if (length !== expected) throw shortRead(source, part, count, length, expected)
  return { chunks, length }
}

function shortRead(
  source: UploadSource,
  part: PlannedPart,
  count: number,
  length: number,
  expected: number,
): DriverError {
  return new DriverError(
    'UPLOAD_FAILED',
    `part ${part.number} of ${count}: the source yielded ${length} bytes for bytes [${part.start}, ${part.end}), ` +
      `expected ${expected} (declared size ${source.size}); nothing was completed`,
  )
}
