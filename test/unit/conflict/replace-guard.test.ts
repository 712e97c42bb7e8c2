/** The check before an overwrite removes the captured holder (src/conflict/replace-guard.ts). */
import { describe, expect, it } from 'vitest'
import { whyNotReplaceable, type ReplacedHolder } from '../../../src/conflict/replace-guard.js'
import type { WireFile } from '../../../src/api/wire.js'
import { toObj } from '../../../src/paths/to-obj.js'

const wire: WireFile = {
  drive_id: 'd',
  file_id: 'F',
  parent_file_id: 'P',
  name: 'a.txt',
  type: 'file',
  size: 12,
  content_hash: 'AB'.repeat(20),
  content_hash_name: 'sha1',
  updated_at: '2024-05-01T10:00:00.000Z',
}
const holder: ReplacedHolder = { captured: toObj(wire, '/'), parentId: 'P', name: 'a.txt' }

describe('whyNotReplaceable', () => {
  it('the same file, still in place: replaceable', () => {
    expect(whyNotReplaceable(holder, { ...wire })).toBeUndefined()
  })

  it.each<[string, Partial<WireFile> | undefined, RegExp]>([
    ['gone', undefined, /no longer exists/],
    ['trashed', { trashed: true }, /recycle bin/],
    ['moved to another folder', { parent_file_id: 'Q' }, /moved out/],
    ['renamed aside', { name: 'a.bak' }, /renamed to "a\.bak"/],
    ['content replaced (size)', { size: 13 }, /content changed \(size\)/],
    ['content replaced (same size, other hash)', { content_hash: 'CD'.repeat(20) }, /SHA-1/],
    [
      'no hash and a newer update time',
      { content_hash: undefined, updated_at: '2024-05-01T10:00:01.000Z' },
      /modified/,
    ],
    ['neither hash nor update time', { content_hash: undefined, updated_at: undefined }, /cannot be verified/],
  ])('%s: left', (_, change, why) => {
    const now = change === undefined ? undefined : { ...wire, ...change }
    // Answers are parsed leniently (src/util/lenient.ts): a null from the wire reads as absent.
    const captured =
      change !== undefined && 'content_hash' in change && change.content_hash === undefined
        ? { ...holder, captured: toObj({ ...wire, content_hash: undefined }, '/') }
        : holder
    expect(whyNotReplaceable(captured, now)).toMatch(why)
  })

  it('a folder holder is judged by place and name only', () => {
    const folder: WireFile = { ...wire, type: 'folder', size: undefined, content_hash: undefined }
    const h: ReplacedHolder = { captured: toObj(folder, '/'), parentId: 'P', name: 'a.txt' }
    expect(whyNotReplaceable(h, { ...folder, updated_at: '2030-01-01T00:00:00Z' })).toBeUndefined()
    expect(whyNotReplaceable(h, { ...folder, name: 'b' })).toMatch(/renamed/)
  })
})
