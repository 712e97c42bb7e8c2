import { describe, expect, it } from 'vitest'
import { wireFileSchema, type WireFile } from '../../../src/api/wire.js'
import { fileName, toObj } from '../../../src/paths/to-obj.js'

const now = new Date('2026-01-01T00:00:00Z')
const wire = (over: Partial<WireFile> = {}): WireFile => ({
  file_id: 'f1',
  name: 'a.txt',
  type: 'file',
  size: 5,
  ...over,
})

describe('fileName', () => {
  it('falls back to file_name when name is null (create answers)', () => {
    expect(fileName({ name: undefined, file_name: 'new.txt' })).toBe('new.txt')
    expect(fileName({ name: 'x', file_name: 'y' })).toBe('x')
    expect(fileName({ name: undefined, file_name: undefined })).toBe('')
  })
})

describe('toObj', () => {
  it('joins the path under the parent, the root without a double slash', () => {
    expect(toObj(wire(), '/', now).path).toBe('/a.txt')
    expect(toObj(wire({ name: '文件.txt' }), '/dir', now).path).toBe('/dir/文件.txt')
  })

  it('lower-cases a SHA-1 content hash', () => {
    const obj = toObj(wire({ content_hash: 'ABCDEF0123', content_hash_name: 'sha1' }), '/', now)
    expect(obj.hashes).toEqual({ sha1: 'abcdef0123' })
  })

  it('keeps no hash of another algorithm, and none for folders', () => {
    expect(toObj(wire({ content_hash: 'AB', content_hash_name: 'crc64' }), '/', now).hashes).toEqual({})
    expect(toObj(wire({ type: 'folder', content_hash: 'AB', size: 99 }), '/', now)).toMatchObject({
      isFolder: true,
      size: 0,
      hashes: {},
    })
  })

  it('treats a missing size of a file as 0', () => {
    expect(toObj(wire({ size: undefined }), '/', now).size).toBe(0)
  })

  it('parses times, falling back created→updated→now for missing or unparsable values', () => {
    const obj = toObj(wire({ updated_at: '2025-05-05T10:00:00Z', created_at: 'garbage' }), '/', now)
    expect(obj.modified.toISOString()).toBe('2025-05-05T10:00:00.000Z')
    expect(obj.created.toISOString()).toBe('2025-05-05T10:00:00.000Z')
    const bare = toObj(wire(), '/', now)
    expect(bare.modified).toEqual(now)
    expect(bare.created).toEqual(now)
  })

  it('carries the thumbnail only when present', () => {
    expect(toObj(wire({ thumbnail: 'https://t/x.jpg' }), '/', now).thumbnail).toBe('https://t/x.jpg')
    expect('thumbnail' in toObj(wire(), '/', now)).toBe(false)
  })

  it('describes a Live Photo as the stream it is delivered as (docs/api-notes.md §13.1)', () => {
    const livp = wire({
      name: 'IMG.LIVP',
      size: 98304,
      content_hash: 'AB'.repeat(20),
      content_hash_name: 'sha1',
      streams_info: { jpeg: 2270, mov: 5000 },
    })
    expect(toObj(livp, '/', now)).toMatchObject({ size: 2270, hashes: {}, mimeType: 'image/jpeg' })
    expect(toObj(livp, '/', now, 'mov')).toMatchObject({ size: 5000, hashes: {}, mimeType: 'video/quicktime' })
    // No stream size in the listing: the container's size stays, and its hash is still not the delivered bytes'.
    expect(toObj({ ...livp, streams_info: undefined }, '/', now)).toMatchObject({ size: 98304, hashes: {} })
    expect(toObj(wire({ content_hash: 'AB', content_hash_name: 'sha1' }), '/', now).mimeType).toBeUndefined()
  })

  it('reads streams_info leniently: numeric strings count, other shapes are dropped', () => {
    const parsed = wireFileSchema.parse({
      file_id: 'f',
      type: 'file',
      streams_info: { jpeg: { size: '2270', crc: 1 }, mov: null, heic: 'x', png: { size: -1 } },
    })
    expect(parsed.streams_info).toEqual({ jpeg: 2270 })
    expect(wireFileSchema.parse({ file_id: 'f', type: 'file', streams_info: [1] }).streams_info).toBeUndefined()
  })
})
