/**
 * Rapid upload with a known SHA-1 and a proof reader (src/upload/rapid/known-hash-create.ts), over a stub port that
 * plays the API client: the body is a function of the token, evaluated before each send. The proof range is read
 * once per token; a token that rotates between the read and the send costs one more read; a create that does not
 * link the content comes back as it is (the engine then streams the bytes); a reader that never catches up gives up.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { CreateResponse } from '../../../src/api/wire.js'
import type { UploadSource } from '../../../src/host/types.js'
import type { Body } from '../../../src/http/api-client.js'
import type { UploadPort } from '../../../src/upload/port.js'
import { createWithKnownHash, type ProofReader } from '../../../src/upload/rapid/known-hash-create.js'
import { proofCodeOf } from '../../../src/util/proof-code.js'

const content = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) & 0xff))
const sha1 = createHash('sha1').update(content).digest('hex')

function source(): UploadSource & ProofReader & { reads: Array<[number, number]> } {
  const reads: Array<[number, number]> = []
  return {
    name: 'x.bin',
    size: content.byteLength,
    reads,
    // eslint-disable-next-line require-yield
    async *read() {
      throw new Error('the bytes must not be read')
    },
    async readProof(start: number, end: number) {
      reads.push([start, end])
      return content.subarray(start, end)
    },
  }
}

/** A port whose create evaluates the body with the next token of `tokens` and answers `answer(body)`. */
function port(tokens: string[], answer: (body: Record<string, unknown>, token: string) => CreateResponse): UploadPort {
  let i = 0
  return {
    driveId: 'd',
    create: async (body: Body) => {
      const token = tokens[Math.min(i++, tokens.length - 1)]!
      const payload = typeof body === 'function' ? body(token) : body
      return answer(payload, token)
    },
  } as unknown as UploadPort
}

const linked = (body: Record<string, unknown>, token: string) => {
  expect(body.content_hash).toBe(sha1)
  expect(body.proof_code).toBe(proofCodeOf(token, content))
  return { file_id: 'f', upload_id: 'u', rapid_upload: true } as unknown as CreateResponse
}

describe('createWithKnownHash', () => {
  it('reads the proof range once and sends the create with hash and proof', async () => {
    const s = source()
    const r = await createWithKnownHash(port(['t1'], linked), { name: 'x.bin' }, s, sha1)
    expect(r.rapid_upload).toBe(true)
    expect(s.reads).toHaveLength(1)
    expect(s.reads[0]![1] - s.reads[0]![0]).toBe(8)
  })

  it('a token rotated between the read and the send costs one more read', async () => {
    const s = source()
    const r = await createWithKnownHash(port(['t1', 't2', 't2'], linked), {}, s, sha1)
    expect(r.rapid_upload).toBe(true)
    expect(s.reads).toHaveLength(2)
  })

  it('an answer that does not link the content is returned for the engine to stream', async () => {
    const s = source()
    const r = await createWithKnownHash(
      port(['t1'], () => ({ file_id: 'f', upload_id: 'u', rapid_upload: false })),
      {},
      s,
      sha1,
    )
    expect(r.rapid_upload).toBe(false)
  })

  it('gives up when every send comes with another token', async () => {
    const s = source()
    await expect(createWithKnownHash(port(['a', 'b', 'c', 'd', 'e', 'f'], linked), {}, s, sha1)).rejects.toThrow(
      /proof bytes/,
    )
    expect(s.reads).toHaveLength(3)
  })
})
