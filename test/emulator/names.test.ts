import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EmulatorHandle } from '../../src/emulator/index.js'
import { moveCopyResponseSchema } from '../../src/api/wire.js'
import { call, emulator } from '../helpers/emulator.js'

let emu: EmulatorHandle
let token: string
let drive: string
beforeAll(async () => {
  ;({ emu, token, drive } = await emulator({
    seed: [
      { path: '/docs', folder: true },
      { path: '/a.txt', content: 'A' },
      { path: '/b.txt', content: 'B' },
      { path: '/dst/a.txt', content: 'other' },
    ],
  }))
})
afterAll(() => emu.close())

const create = (body: Record<string, unknown>) =>
  call(emu, token, '/adrive/v1.0/openFile/create', { drive_id: drive, parent_file_id: 'root', ...body })
const names = async (parent = 'root') =>
  (
    await call(emu, token, '/adrive/v1.0/openFile/list', { drive_id: drive, parent_file_id: parent, limit: 200 })
  ).body.items.map((i: { name: string }) => i.name)
const id = (path: string) => emu.findByPath('resource', path)!.file_id

describe('check_name_mode (docs/api-notes.md §3.7, §3.13–3.15)', () => {
  it('refuse returns the existing folder or file with exist:true and creates nothing', async () => {
    const folder = await create({ name: 'docs', type: 'folder', check_name_mode: 'refuse' })
    expect(folder.status).toBe(200)
    expect(folder.body).toMatchObject({ file_id: id('/docs'), exist: true, type: 'folder' })
    const file = await create({ name: 'a.txt', type: 'file', check_name_mode: 'refuse' })
    expect(file.body).toMatchObject({ file_id: id('/a.txt'), exist: true })
    expect(file.body.upload_id ?? undefined).toBeUndefined()
    expect((await names()).filter((n: string) => n === 'docs' || n === 'a.txt')).toEqual(['a.txt', 'docs'])
    const fresh = await create({ name: 'newdir', type: 'folder', check_name_mode: 'refuse' })
    expect(fresh.body.exist).toBe(false)
  })

  it('ignore allows duplicates; auto_rename picks a(1).txt, a(2).txt and folder(1)', async () => {
    const dup = await create({ name: 'docs', type: 'folder', check_name_mode: 'ignore' })
    expect(dup.body.file_id).not.toBe(id('/docs'))
    expect((await names()).filter((n: string) => n === 'docs')).toHaveLength(2)
    const f1 = await create({ name: 'b.txt', type: 'folder', check_name_mode: 'auto_rename' })
    expect(f1.body.file_name).toBe('b(1).txt')
    const f2 = await create({ name: 'b.txt', type: 'folder', check_name_mode: 'auto_rename' })
    expect(f2.body.file_name).toBe('b(2).txt')
    const f3 = await create({ name: 'newdir', type: 'folder', check_name_mode: 'auto_rename' })
    expect(f3.body.file_name).toBe('newdir(1)')
  })

  it('update with refuse onto a taken name → 400 AlreadyExist.File; default allows it', async () => {
    const r = await call(emu, token, '/adrive/v1.0/openFile/update', {
      drive_id: drive,
      file_id: id('/b.txt'),
      name: 'a.txt',
      check_name_mode: 'refuse',
    })
    expect(r.status).toBe(400)
    expect(r.body.code).toBe('AlreadyExist.File')
    const renamed = await call(emu, token, '/adrive/v1.0/openFile/update', {
      drive_id: drive,
      file_id: id('/b.txt'),
      name: 'c.txt',
    })
    expect(renamed.body.name).toBe('c.txt')
    const auto = await call(emu, token, '/adrive/v1.0/openFile/update', {
      drive_id: drive,
      file_id: id('/c.txt'),
      name: 'a.txt',
      check_name_mode: 'auto_rename',
    })
    expect(auto.body.name).toBe('a(1).txt')
  })

  it('move defaults to refuse: a taken name answers exist:true and moves nothing; ignore moves', async () => {
    const aId = id('/a.txt')
    const refused = await call(emu, token, '/adrive/v1.0/openFile/move', {
      drive_id: drive,
      file_id: aId,
      to_parent_file_id: id('/dst'),
    })
    expect(refused.status).toBe(200)
    expect(moveCopyResponseSchema.parse(refused.body).exist).toBe(true)
    expect(emu.findByPath('resource', '/a.txt')?.file_id).toBe(aId)
    const renamed = await call(emu, token, '/adrive/v1.0/openFile/move', {
      drive_id: drive,
      file_id: aId,
      to_parent_file_id: id('/dst'),
      check_name_mode: 'auto_rename',
    })
    expect(renamed.body).toMatchObject({ file_id: aId, exist: false })
    expect(await names(id('/dst'))).toEqual(['a(1).txt', 'a.txt'])
  })

  it('copy: auto_rename true renames, false allows a duplicate', async () => {
    const src = id('/dst/a.txt')
    const dst = id('/dst')
    const renamed = await call(emu, token, '/adrive/v1.0/openFile/copy', {
      drive_id: drive,
      file_id: src,
      to_parent_file_id: dst,
      auto_rename: true,
    })
    expect(renamed.status).toBe(200)
    const dup = await call(emu, token, '/adrive/v1.0/openFile/copy', {
      drive_id: drive,
      file_id: src,
      to_parent_file_id: dst,
      auto_rename: false,
    })
    expect(dup.body.file_id).not.toBe(src)
    expect(await names(dst)).toEqual(['a(1).txt', 'a(2).txt', 'a.txt', 'a.txt'])
  })

  it('rejects names with a slash', async () => {
    const r = await create({ name: 'x/y', type: 'folder' })
    expect(r.status).toBe(400)
    expect(r.body.code).toBe('InvalidParameter.Name')
  })
})
