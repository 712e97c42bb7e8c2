import { afterEach, describe, expect, it } from 'vitest'
import { driveInfoSchema, listResponseSchema, removeResponseSchema, spaceInfoSchema } from '../../src/api/wire.js'
import type { EmulatorHandle } from '../../src/emulator/index.js'
import { call, emulator, uploadFile } from '../helpers/emulator.js'

let emu: EmulatorHandle | undefined
afterEach(async () => {
  await emu?.close()
  emu = undefined
})

describe('drives, listing and the recycle bin (docs/api-notes.md §3)', () => {
  it('getDriveInfo/getSpaceInfo accept an empty body; drive ids are numeric strings; drives option controls grants', async () => {
    const s = await emulator({ drives: ['default', 'backup'], seed: [{ path: '/x', drive: 'backup', size: 1000 }] })
    emu = s.emu
    const res = await fetch(`${s.emu.apiUrl}/adrive/v1.0/user/getDriveInfo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
    })
    const info = driveInfoSchema.parse(await res.json())
    expect(info.user_id).toBe(s.emu.userId)
    expect(info.default_drive_id).toMatch(/^\d+$/)
    expect(info.backup_drive_id).toBe(s.emu.driveIds.backup)
    expect(info.resource_drive_id).toBeUndefined()
    const space = spaceInfoSchema.parse((await call(s.emu, s.token, '/adrive/v1.0/user/getSpaceInfo')).body)
    expect(space.personal_space_info).toEqual({ used_size: 1000, total_size: 2 ** 40 })
  })

  it('pages more than 200 entries via next_marker; "" options mean defaults', async () => {
    const seed = Array.from({ length: 250 }, (_, i) => ({
      path: `/many/f${String(i).padStart(3, '0')}`,
      content: String(i),
    }))
    const s = await emulator({ seed })
    emu = s.emu
    const parent = s.emu.findByPath('resource', '/many')!.file_id
    const seen: string[] = []
    let marker = ''
    let pages = 0
    do {
      const r = await call(s.emu, s.token, '/adrive/v1.0/openFile/list', {
        drive_id: s.drive,
        parent_file_id: parent,
        limit: 200,
        marker,
        order_by: '',
        order_direction: '',
      })
      expect(r.status).toBe(200)
      const page = listResponseSchema.parse(r.body)
      expect(page.items.length).toBeLessThanOrEqual(200)
      seen.push(...page.items.map((i) => i.name!))
      marker = page.next_marker ?? ''
      pages++
    } while (marker)
    expect(pages).toBe(2)
    expect(seen).toHaveLength(250)
    expect(new Set(seen).size).toBe(250)
    const big = await call(s.emu, s.token, '/adrive/v1.0/openFile/list', {
      drive_id: s.drive,
      parent_file_id: parent,
      limit: 201,
    })
    expect(big.status).toBe(400)
    const desc = await call(s.emu, s.token, '/adrive/v1.0/openFile/list', {
      drive_id: s.drive,
      parent_file_id: parent,
      limit: 2,
      order_by: 'name',
      order_direction: 'DESC',
    })
    expect(desc.body.items.map((i: { name: string }) => i.name)).toEqual(['f249', 'f248'])
  })

  it('trash hides from list; operations on trashed items → 403 ForbiddenFileInTheRecycleBin; delete removes', async () => {
    const s = await emulator({
      seed: [
        { path: '/d/inner.txt', content: 'i' },
        { path: '/f.txt', content: 'f' },
      ],
    })
    emu = s.emu
    const d = s.emu.findByPath('resource', '/d')!.file_id
    const inner = s.emu.findByPath('resource', '/d/inner.txt')!.file_id
    const trash = await call(s.emu, s.token, '/adrive/v1.0/openFile/recyclebin/trash', {
      drive_id: s.drive,
      file_id: d,
    })
    expect(trash.status).toBe(200)
    expect(removeResponseSchema.parse(trash.body).async_task_id).toBeTruthy() // folder → async task
    const list = await call(s.emu, s.token, '/adrive/v1.0/openFile/list', { drive_id: s.drive, parent_file_id: 'root' })
    expect(list.body.items.map((i: { name: string }) => i.name)).toEqual(['f.txt'])
    for (const [path, body] of [
      ['/adrive/v1.0/openFile/update', { file_id: inner, name: 'z' }],
      ['/adrive/v1.0/openFile/getDownloadUrl', { file_id: inner }],
      ['/adrive/v1.0/openFile/recyclebin/trash', { file_id: d }],
      ['/adrive/v1.0/openFile/list', { parent_file_id: d }],
    ] as const) {
      const r = await call(s.emu, s.token, path, { drive_id: s.drive, ...body })
      expect(r.status).toBe(403)
      expect(r.body.code).toBe('ForbiddenFileInTheRecycleBin')
    }
    const got = await call(s.emu, s.token, '/adrive/v1.0/openFile/get', { drive_id: s.drive, file_id: d })
    expect(got.body.trashed).toBe(true)
    // trashed bytes still count against the quota
    expect((await call(s.emu, s.token, '/adrive/v1.0/user/getSpaceInfo')).body.personal_space_info.used_size).toBe(2)
    const del = await call(s.emu, s.token, '/adrive/v1.0/openFile/delete', { drive_id: s.drive, file_id: d })
    expect(del.status).toBe(200)
    expect(
      (await call(s.emu, s.token, '/adrive/v1.0/openFile/get', { drive_id: s.drive, file_id: inner })).status,
    ).toBe(404)
    expect((await call(s.emu, s.token, '/adrive/v1.0/user/getSpaceInfo')).body.personal_space_info.used_size).toBe(1)
  })

  it('folder copy deep-copies and returns an async task: Running, then Succeed', async () => {
    const s = await emulator({
      seed: [
        { path: '/src/a/b.txt', content: 'deep' },
        { path: '/dst', folder: true },
      ],
    })
    emu = s.emu
    const r = await call(s.emu, s.token, '/adrive/v1.0/openFile/copy', {
      drive_id: s.drive,
      file_id: s.emu.findByPath('resource', '/src')!.file_id,
      to_parent_file_id: s.emu.findByPath('resource', '/dst')!.file_id,
    })
    expect(r.status).toBe(200)
    expect(r.body.async_task_id).toBeTruthy()
    const states: string[] = []
    for (let i = 0; i < 2; i++) {
      states.push(
        (await call(s.emu, s.token, '/adrive/v1.0/openFile/async_task/get', { async_task_id: r.body.async_task_id }))
          .body.state,
      )
    }
    expect(states).toEqual(['Running', 'Succeed'])
    expect((await s.emu.readFile('resource', '/dst/src/a/b.txt')).toString()).toBe('deep')
    expect(s.emu.findByPath('resource', '/dst/src')!.file_id).toBe(r.body.file_id)
    // a folder cannot be moved into itself
    const self = await call(s.emu, s.token, '/adrive/v1.0/openFile/move', {
      drive_id: s.drive,
      file_id: s.emu.findByPath('resource', '/src')!.file_id,
      to_parent_file_id: s.emu.findByPath('resource', '/src/a')!.file_id,
    })
    expect(self.status).toBe(400)
  })

  it('get and get_by_path return File objects; unknown ids → 404 NotFound.File', async () => {
    const s = await emulator({ seed: [{ path: '/p/q.mp4', size: 10 }] })
    emu = s.emu
    const byPath = await call(s.emu, s.token, '/adrive/v1.0/openFile/get_by_path', {
      drive_id: s.drive,
      file_path: '/p/q.mp4',
    })
    expect(byPath.body).toMatchObject({
      name: 'q.mp4',
      category: 'video',
      file_extension: 'mp4',
      size: 10,
      type: 'file',
    })
    const miss = await call(s.emu, s.token, '/adrive/v1.0/openFile/get', { drive_id: s.drive, file_id: 'nope' })
    expect(miss.status).toBe(404)
    expect(miss.body.code).toBe('NotFound.File')
    const batch = await call(s.emu, s.token, '/adrive/v1.0/openFile/batch/get', {
      file_list: [{ drive_id: s.drive, file_id: byPath.body.file_id }],
    })
    expect(batch.body.items).toHaveLength(1)
    const search = await call(s.emu, s.token, '/adrive/v1.0/openFile/search', {
      drive_id: s.drive,
      query: 'name match "q" and type = "file"',
    })
    expect(search.body.items.map((i: { name: string }) => i.name)).toEqual(['q.mp4'])
  })

  it('ExceedCapacityForbidden when create (declared size) or complete would exceed totalSpace', async () => {
    const s = await emulator({ totalSpace: 100, seed: [{ path: '/have', size: 60 }] })
    emu = s.emu
    const declared = await call(s.emu, s.token, '/adrive/v1.0/openFile/create', {
      drive_id: s.drive,
      parent_file_id: 'root',
      name: 'big',
      type: 'file',
      size: 41,
    })
    expect(declared.status).toBe(403)
    expect(declared.body.code).toBe('ExceedCapacityForbidden')
    const r = await uploadFile(s.emu, s.token, s.drive, 'root', 'undeclared', [Buffer.alloc(41)])
    expect(r.status).toBe(403)
    expect(r.body.code).toBe('ExceedCapacityForbidden')
    expect((await uploadFile(s.emu, s.token, s.drive, 'root', 'fits', [Buffer.alloc(40)])).status).toBe(200)
  })

  it('unknown routes → 404 JSON NotFound; bad JSON → 400; errors are never 200', async () => {
    const s = await emulator()
    emu = s.emu
    const r = await call(s.emu, s.token, '/adrive/v1.0/openFile/nope', {})
    expect(r.status).toBe(404)
    expect(r.body.code).toBe('NotFound')
    expect(r.headers.get('content-type')).toMatch(/application\/json/)
    const bad = await fetch(`${s.emu.apiUrl}/adrive/v1.0/openFile/list`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}` },
      body: '{not json',
    })
    expect(bad.status).toBe(400)
    expect(s.emu.stats().statuses[404]).toBe(1)
  })
})
