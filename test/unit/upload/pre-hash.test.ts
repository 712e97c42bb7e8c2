import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { UploadSource } from '../../../src/host/types.js'
import { PRE_HASH_BYTES, preHashOf, preHashOfSource } from '../../../src/upload/rapid/hashes.js'
import { fromBuffer } from '../../../src/upload/sources/from-buffer.js'

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex')
/** 0..255 four times: docs/api-notes.md §6.6's 1024-byte vector, whose SHA-1 is 5b00669c…. */
const kib = Buffer.from(Array.from({ length: 1024 }, (_, i) => i % 256))

/** A host-made source (no internals of ours) that yields `chunk`-byte pieces and records every range asked of it. */
function recordingSource(bytes: Uint8Array, chunk: number): UploadSource & { asked: Array<[number, number]> } {
  const asked: Array<[number, number]> = []
  return {
    name: 'x.bin',
    size: bytes.byteLength,
    asked,
    async *read(start: number, end: number) {
      asked.push([start, end])
      for (let at = start; at < end; at += chunk) yield bytes.subarray(at, Math.min(end, at + chunk))
    },
  }
}

describe('the pre-hash (one rule for bytes and sources)', () => {
  it('covers exactly the first 1024 bytes: the documented vector', () => {
    expect(PRE_HASH_BYTES).toBe(1024)
    const bytes = Buffer.concat([kib, Buffer.from('anything after the first KiB')])
    expect(preHashOf(bytes)).toBe('5b00669c480d5cffbdfa8bdba99561160f2d1b77')
  })

  it('of a source equals the pre-hash of its bytes, however the source chunks them', async () => {
    const bytes = Buffer.concat([kib, Buffer.alloc(300_000, 7)])
    for (const chunk of [1, 100, 1000, 1024, 4096]) {
      expect(await preHashOfSource(recordingSource(bytes, chunk))).toBe('5b00669c480d5cffbdfa8bdba99561160f2d1b77')
    }
    expect(await preHashOfSource(fromBuffer(bytes, 'b.bin'))).toBe(preHashOf(bytes))
  })

  it('reads only the first KiB of a source', async () => {
    const source = recordingSource(Buffer.alloc(5 * 1024 * 1024, 1), 64 * 1024)
    await preHashOfSource(source)
    expect(source.asked).toEqual([[0, 1024]])
  })

  it('of a source shorter than a KiB (or empty) is the SHA-1 of all of it', async () => {
    const short = Buffer.from('Hello World!')
    expect(await preHashOfSource(recordingSource(short, 5))).toBe(sha1(short))
    expect(preHashOf(short)).toBe(sha1(short))
    const empty = recordingSource(Buffer.alloc(0), 1)
    expect(await preHashOfSource(empty)).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709')
    expect(empty.asked).toEqual([[0, 0]])
  })
})
