import { describe, expect, it } from 'vitest'
import { encodeProof, preHashOf, proofCodeOf, proofRange, sha1Hex } from '../../src/upload/index.js'
import { INTERNAL_UPLOAD_PREFIX, toInternalUploadUrl, urlExpiresAt } from '../../src/upload/internal-url.js'

const bytes0to255x4 = Buffer.from(Array.from({ length: 1024 }, (_, i) => i % 256))

describe('proof code v1 (docs/api-notes.md §6.6 vectors)', () => {
  it('row A: needs BigInt (Number arithmetic gives index 0)', () => {
    expect(proofRange('test-access-token', 1024)).toEqual({ start: 630, end: 638 })
    expect(proofCodeOf('test-access-token', bytes0to255x4)).toBe('dnd4eXp7fH0=')
  })
  it('row B: clipped to the end of the file', () => {
    expect(proofRange('tok0', 10)).toEqual({ start: 8, end: 10 })
    expect(proofCodeOf('tok0', Buffer.from('abcdefghij'))).toBe('aWo=')
  })
  it('row C: a one-byte file', () => {
    expect(proofCodeOf('x', Buffer.from('Z'))).toBe('Wg==')
  })
  it('row D shape: "Hello World!" at index 3 gives bG8gV29ybGQ=', () => {
    // The token of the last row is not reproduced in the spec; the encoding of its window is checked instead.
    expect(encodeProof(Buffer.from('Hello World!').subarray(3, 11))).toBe('bG8gV29ybGQ=')
  })
  it('an empty file has an empty proof', () => {
    expect(proofRange('x', 0)).toEqual({ start: 0, end: 0 })
    expect(proofCodeOf('x', Buffer.alloc(0))).toBe('')
  })
})

describe('SHA-1 vectors (docs/api-notes.md §6.6)', () => {
  it('Hello World!', () => {
    expect(sha1Hex(Buffer.from('Hello World!'))).toBe('2ef7bde608ce5404e97d5f042f95f89f1c232871')
  })
  it('the 1024-byte buffer, whose pre-hash is its own hash', () => {
    expect(sha1Hex(bytes0to255x4)).toBe('5b00669c480d5cffbdfa8bdba99561160f2d1b77')
    expect(preHashOf(Buffer.concat([bytes0to255x4, Buffer.from('more')]))).toBe(
      '5b00669c480d5cffbdfa8bdba99561160f2d1b77',
    )
  })
})

describe('part URLs (docs/api-notes.md §6.3, §6.4)', () => {
  it('internal upload rewrites only the public Beijing prefix, to plain http', () => {
    const url = 'https://cn-beijing-data.aliyundrive.net/abcd%2F1%2Ff%2Fr?partNumber=1&x-oss-expires=1700000000'
    expect(toInternalUploadUrl(url)).toBe(
      `${INTERNAL_UPLOAD_PREFIX}abcd%2F1%2Ff%2Fr?partNumber=1&x-oss-expires=1700000000`,
    )
    expect(
      toInternalUploadUrl(url).startsWith('http://ccp-bj29-bj-1592982087.oss-cn-beijing-internal.aliyuncs.com/'),
    ).toBe(true)
    expect(toInternalUploadUrl('http://127.0.0.1:1/x')).toBe('http://127.0.0.1:1/x')
  })
  it('reads x-oss-expires as unix seconds', () => {
    expect(urlExpiresAt('https://h/p?x-oss-expires=1700000000&a=b')).toBe(1_700_000_000_000)
    expect(urlExpiresAt('https://h/p')).toBeUndefined()
    expect(urlExpiresAt('not a url')).toBeUndefined()
  })
})
