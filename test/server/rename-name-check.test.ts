/**
 * Renaming never relies on `openFile/update` honouring `check_name_mode` (docs/api-notes.md §12.5): against an
 * emulator whose `update` ignores it, a rename onto a taken name is refused by the driver's own lookup, and WebDAV
 * MOVE with `Overwrite: F` answers 412 even when serve's listing cache has not seen the target yet.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { fromBuffer } from '../../src/upload/index.js'
import { startStack, type Stack } from '../helpers/stack.js'

let s: Stack
beforeAll(async () => {
  s = await startStack({
    updateIgnoresCheckNameMode: true,
    seed: [
      { path: '/r/a.txt', content: 'aaa' },
      { path: '/r/b.txt', content: 'bbb' },
      { path: '/w/x.txt', content: 'xxx' },
    ],
  })
})
afterAll(() => s?.close())

const names = (folder: string) =>
  s.emu
    .debugTree('resource')
    .filter((e) => !e.trashed && e.path.startsWith(`${folder}/`))
    .map((e) => e.name)
    .sort()

it('the emulator mode really ignores check_name_mode: update onto a taken name makes two siblings', async () => {
  // Guards the test below: without the driver's lookup, this mode lets the rename through.
  await s.driver.makeDir(await s.driver.get('/'), 'probe')
  const probe = await s.driver.get('/probe')
  const one = await s.driver.upload(probe, fromBuffer(Buffer.from('1'), 'one.txt'))
  await s.driver.upload(probe, fromBuffer(Buffer.from('2'), 'two.txt'))
  const renamed = await s.driver.rename(one, 'two.txt', { conflict: 'rename' })
  expect(renamed.name).not.toBe('one.txt')
})

it('rename with conflict refuse looks the target up first: ALREADY_EXISTS, nothing renamed', async () => {
  const before = s.emu.stats().calls['/adrive/v1.0/openFile/update'] ?? 0
  const a = await s.driver.get('/r/a.txt')
  await expect(s.driver.rename(a, 'b.txt')).rejects.toMatchObject({ code: 'ALREADY_EXISTS' })
  expect(names('/r')).toEqual(['a.txt', 'b.txt'])
  expect(s.emu.stats().calls['/adrive/v1.0/openFile/update'] ?? 0).toBe(before)
})

it('WebDAV MOVE with Overwrite: F onto a name taken behind the listing cache is 412, both files kept', async () => {
  const auth = { Authorization: s.basic }
  const warm = await fetch(`${s.server.url}/dav/w/`, { method: 'PROPFIND', headers: { ...auth, Depth: '1' } })
  expect(warm.status).toBe(207)
  expect(await warm.text()).not.toContain('y.txt')
  // Another client takes the name directly on the drive; serve's cached listing of /w does not know it yet.
  await s.driver.upload(await s.driver.get('/w'), fromBuffer(Buffer.from('yyy'), 'y.txt'))
  const res = await fetch(`${s.server.url}/dav/w/x.txt`, {
    method: 'MOVE',
    headers: { ...auth, Destination: `${s.server.url}/dav/w/y.txt`, Overwrite: 'F' },
  })
  expect(res.status).toBe(412)
  expect(names('/w')).toEqual(['x.txt', 'y.txt'])
  expect((await s.emu.readFile('resource', '/w/y.txt')).toString()).toBe('yyy')
})
