/**
 * fromStream with a claimed sha1 (src/upload/sources/from-stream.ts): a proof read pulls the stream only up to the
 * proof's bytes and spools only that prefix; a normal upload afterwards still gets every byte in order; after a rapid
 * link the rest is read and the whole must have the claimed SHA-1.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { isAnnouncedHashMismatch } from '../../../src/upload/sources/announced-hash.js'
import { fromStream } from '../../../src/upload/sources/from-stream.js'

const CHUNK = 16 * 1024
const content = Buffer.from(Array.from({ length: 64 * CHUNK }, (_, i) => (i * 13 + (i >> 9)) & 0xff))
const sha1 = createHash('sha1').update(content).digest('hex')

function counted(): AsyncIterable<Uint8Array> & { pulled: number } {
  const it = {
    pulled: 0,
    async *[Symbol.asyncIterator]() {
      for (let at = 0; at < content.length; at += CHUNK) {
        it.pulled++
        yield content.subarray(at, at + CHUNK)
      }
    },
  }
  return it
}

type Claimed = ReturnType<typeof fromStream> & {
  readProof(start: number, end: number): Promise<Uint8Array>
  verifyClaim(): Promise<void>
}

async function collect(iterable: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = []
  for await (const c of iterable) parts.push(c)
  return Buffer.concat(parts)
}

describe('a stream with a claimed sha1', () => {
  it('a proof read pulls only up to the proof bytes; a later full read gets every byte', async () => {
    const stream = counted()
    const source = fromStream(stream, { name: 'c.bin', size: content.length, sha1 }) as Claimed
    expect(await collect(source.read(0, 1024))).toEqual(content.subarray(0, 1024))
    const proof = await source.readProof(100_000, 100_008)
    expect(Buffer.from(proof)).toEqual(content.subarray(100_000, 100_008))
    expect(stream.pulled).toBe(Math.ceil(100_008 / CHUNK))
    expect((await collect(source.read(0, content.length))).equals(content)).toBe(true)
    await source.dispose?.()
  })

  it('after the proof, the rest is read and checked: the right claim passes, a wrong one is a mismatch', async () => {
    const right = fromStream(counted(), { name: 'c.bin', size: content.length, sha1 }) as Claimed
    await right.readProof(5, 13)
    await expect(right.verifyClaim()).resolves.toBeUndefined()
    await right.dispose?.()

    const wrong = fromStream(counted(), { name: 'c.bin', size: content.length, sha1: '0'.repeat(40) }) as Claimed
    await wrong.readProof(5, 13)
    const error = await wrong.verifyClaim().catch((e: unknown) => e)
    expect(isAnnouncedHashMismatch(error)).toBe(true)
    await wrong.dispose?.()
  })

  it('a stream without a claim offers no proof read', () => {
    const plain = fromStream(counted(), { name: 'c.bin', size: content.length })
    expect('readProof' in plain).toBe(false)
  })
})
