import { describe, expect, it } from 'vitest'
import type { FilesApi } from '../../../src/api/files.js'
import { fileName, listResponseSchema } from '../../../src/api/wire.js'
import { createFolder } from '../../../src/driver/folder-ops.js'
import type { Obj } from '../../../src/host/types.js'

const parent: Obj = {
  id: 'p',
  path: '/docs',
  name: 'docs',
  size: 0,
  isFolder: true,
  modified: new Date(0),
  created: new Date(0),
  hashes: {},
}

/** A FilesApi that answers createFolder with `answer` and fails on anything else. */
const creating = (answer: Record<string, unknown>) =>
  ({ createFolder: () => Promise.resolve({ file_id: 'new', ...answer }) }) as unknown as FilesApi

describe('fileName: the one wire-name fallback', () => {
  it('takes name, then file_name, then the requested name, then ""', () => {
    expect(fileName({ name: 'x', file_name: 'y' }, 'z')).toBe('x')
    expect(fileName({ name: undefined, file_name: 'y' }, 'z')).toBe('y')
    expect(fileName({ name: '', file_name: undefined }, 'z')).toBe('z')
    expect(fileName({ name: undefined, file_name: undefined })).toBe('')
  })

  it('decides which listing items have a name: file_name alone is enough, neither is skipped', () => {
    const parsed = listResponseSchema.parse({
      items: [
        { file_id: 'a', name: 'a.txt', type: 'file' },
        { file_id: 'b', name: null, file_name: 'b.txt', type: 'file' },
        { file_id: 'c', name: null, file_name: null, type: 'file' },
      ],
      next_marker: '',
    })
    expect(parsed.items.map((i) => fileName(i))).toEqual(['a.txt', 'b.txt'])
    expect(parsed.skipped).toEqual(['file_id c (missing or unreadable: name)'])
  })

  it('gives a created folder the answer`s name, or the requested one when the answer carries none', async () => {
    const renamed = await createFolder(creating({ name: null, file_name: 'new(1)' }), parent, 'new', {})
    expect(renamed).toMatchObject({ name: 'new(1)', path: '/docs/new(1)', isFolder: true })
    const bare = await createFolder(creating({ name: null, file_name: null }), parent, 'new', {})
    expect(bare).toMatchObject({ name: 'new', path: '/docs/new', isFolder: true })
  })
})
