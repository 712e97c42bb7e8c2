/**
 * The web UI's conflict options on /api/fs/copy, /api/fs/move and /api/fs/rename with OpenList's semantics
 * (server/handles/fsmanage.go): `skip_existing` leaves target and source untouched and succeeds, `merge` (copy)
 * copies a folder's new members into the existing folder and keeps its files, `overwrite` replaces through the safe
 * replace path (the old holder removed by id afterwards), and with none of them a taken name refuses the whole
 * request before anything moves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OpenListClient } from '../helpers/openlist-client.js'
import { startStack, type Stack } from '../helpers/stack.js'

let s: Stack
let api: OpenListClient

beforeAll(async () => {
  s = await startStack({
    seed: [
      { path: '/src/x.txt', content: 'src x' },
      { path: '/src/y.txt', content: 'src y' },
      { path: '/dst/x.txt', content: 'dst x' },
      { path: '/m/src/d/new.txt', content: 'new' },
      { path: '/m/src/d/same.txt', content: 'from src' },
      { path: '/m/src/d/sub/deep.txt', content: 'deep' },
      { path: '/m/dst/d/same.txt', content: 'kept' },
      { path: '/m/dst/d/own.txt', content: 'own' },
      { path: '/m/dst/d/sub/other.txt', content: 'other' },
      { path: '/o/src/x.txt', content: 'newer' },
      { path: '/o/dst/x.txt', content: 'older' },
    ],
  })
  api = new OpenListClient(s.server.url, s.server.token)
})
afterAll(() => s?.close())

const live = (prefix: string) =>
  s.emu
    .debugTree('resource')
    .filter((e) => !e.trashed && e.type === 'file' && e.path.startsWith(prefix))
    .map((e) => e.path)
    .sort()
const text = async (path: string) => (await s.emu.readFile('resource', path)).toString()

describe('skip_existing', () => {
  it('copy: the taken name is skipped (target kept), the free one copied, success', async () => {
    const res = await api.post('/fs/copy', {
      src_dir: '/src',
      dst_dir: '/dst',
      names: ['x.txt', 'y.txt'],
      overwrite: false,
      skip_existing: true,
      merge: false,
    })
    expect(res.json.code).toBe(200)
    expect(await text('/dst/x.txt')).toBe('dst x')
    expect(await text('/dst/y.txt')).toBe('src y')
    expect(live('/src/')).toEqual(['/src/x.txt', '/src/y.txt'])
  })

  it('move: the taken name stays in the source, the target untouched; success', async () => {
    await api.post('/fs/remove', { dir: '/dst', names: ['y.txt'] })
    const res = await api.post('/fs/move', {
      src_dir: '/src',
      dst_dir: '/dst',
      names: ['x.txt', 'y.txt'],
      overwrite: false,
      skip_existing: true,
    })
    expect(res.json.code).toBe(200)
    expect(live('/src/')).toEqual(['/src/x.txt'])
    expect(await text('/src/x.txt')).toBe('src x')
    expect(await text('/dst/x.txt')).toBe('dst x')
    expect(await text('/dst/y.txt')).toBe('src y')
  })

  it('without skip_existing a taken name refuses the whole request before anything moves', async () => {
    await api.post('/fs/copy', { src_dir: '/dst', dst_dir: '/src', names: ['y.txt'] })
    const res = await api.post('/fs/move', { src_dir: '/src', dst_dir: '/dst', names: ['y.txt', 'x.txt'] })
    expect(res.json.code).toBe(409)
    expect(res.json.message).toContain('/dst/y.txt')
    expect(live('/src/')).toEqual(['/src/x.txt', '/src/y.txt'])
  })
})

it('merge (copy): new members copied into the existing folder, existing files kept, sub-folders merged', async () => {
  const res = await api.post('/fs/copy', {
    src_dir: '/m/src',
    dst_dir: '/m/dst',
    names: ['d'],
    overwrite: false,
    skip_existing: false,
    merge: true,
  })
  expect(res.json.code).toBe(200)
  expect(live('/m/dst/')).toEqual([
    '/m/dst/d/new.txt',
    '/m/dst/d/own.txt',
    '/m/dst/d/same.txt',
    '/m/dst/d/sub/deep.txt',
    '/m/dst/d/sub/other.txt',
  ])
  expect(await text('/m/dst/d/same.txt')).toBe('kept')
  expect(await text('/m/dst/d/sub/deep.txt')).toBe('deep')
  expect(live('/m/src/')).toEqual(['/m/src/d/new.txt', '/m/src/d/same.txt', '/m/src/d/sub/deep.txt'])
})

it('overwrite (copy): the target replaced, the old holder removed by id afterwards', async () => {
  const old = s.emu.findByPath('resource', '/o/dst/x.txt')!
  const res = await api.post('/fs/copy', { src_dir: '/o/src', dst_dir: '/o/dst', names: ['x.txt'], overwrite: true })
  expect(res.json.code).toBe(200)
  expect(await text('/o/dst/x.txt')).toBe('newer')
  expect(s.emu.debugTree('resource').find((e) => e.file_id === old.file_id)?.trashed).toBe(true)
})

it('rename sends only overwrite: refused without it, replaced with it', async () => {
  await api.post('/fs/copy', { src_dir: '/o/src', dst_dir: '/o', names: ['x.txt'] })
  const free = await api.post('/fs/rename', { path: '/o/x.txt', name: 'y.txt', overwrite: false })
  expect(free.json.code).toBe(200)
  const taken = await api.post('/fs/rename', { path: '/o/y.txt', name: 'src', overwrite: false })
  expect(taken.json.code).toBe(409)
  await api.post('/fs/copy', { src_dir: '/o/src', dst_dir: '/o', names: ['x.txt'] })
  const replaced = await api.post('/fs/rename', { path: '/o/x.txt', name: 'y.txt', overwrite: true })
  expect(replaced.json.code).toBe(200)
  expect(live('/o/').filter((p) => p.startsWith('/o/y') || p.startsWith('/o/x'))).toEqual(['/o/y.txt'])
})
