/**
 * `.livp` (iOS Live Photo) streams (docs/api-notes.md §8): the download URL is empty and `streamsUrl` carries a `jpeg` and a
 * `mov` URL. The emulator serves two distinct, deterministic byte streams per file, derived from its content hash,
 * each starting with the magic bytes of its format so a client can tell them apart.
 */
import { generatedBytes, seedOf } from './prng.js'

export type LivpStream = 'jpeg' | 'mov'
export const LIVP_STREAMS: LivpStream[] = ['jpeg', 'mov']

const MAGIC: Record<LivpStream, Buffer> = {
  jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  mov: Buffer.from('\u0000\u0000\u0000\u0014ftypqt  ', 'latin1'),
}

export function livpStreamSizes(contentHash: string): Record<LivpStream, number> {
  const s = seedOf(contentHash)
  return { jpeg: 2048 + (s % 1024), mov: 4096 + ((s >>> 10) % 2048) }
}

/** The whole stream; streams are a few KiB, so they are built in memory. */
export function livpStreamBytes(contentHash: string, stream: LivpStream): Buffer {
  const size = livpStreamSizes(contentHash)[stream]
  const body = generatedBytes(seedOf(`${contentHash}:${stream}`), 0, size - MAGIC[stream].length)
  return Buffer.concat([MAGIC[stream], body])
}
