/**
 * MountTable routing without HTTP: nested mounts, virtual folders, refusals on them, and a folder copied between
 * storages (the resource and backup drives of one emulator user).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import type { StorageDriver } from '../../src/host/types.js'
import { plugin } from '../../src/plugin.js'
import { DriveFsService } from '../../src/server/fs-service.js'
import { MountTable } from '../../src/server/mount-table.js'

let emu: EmulatorHandle
let drivers: StorageDriver[]
let table: MountTable

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    limits: false,
    seed: [
      { path: '/docs/a.txt', content: 'A' },
      { path: '/docs/sub/b.txt', content: 'BB' },
      { path: '/inner', folder: true },
      { path: '/keep.txt', drive: 'backup', content: 'K' },
    ],
  })
  const make = (drive_type: string) => plugin.create(emu.driverConfig({ drive_type }), { apiBaseUrl: emu.apiUrl })
  drivers = [make('resource'), make('backup')]
  for (const d of drivers) await d.init()
  table = new MountTable([
    { path: '/x/res', fs: new DriveFsService(drivers[0]!) },
    // Nested inside the resource mount, over a folder name the drive does not have.
    { path: '/x/res/bak', fs: new DriveFsService(drivers[1]!) },
    { path: '/broken', error: new Error('refresh token refused') },
  ])
})

afterAll(async () => {
  for (const d of drivers ?? []) await d.drop()
  await emu?.close()
})

const names = async (p: string) => (await table.list(p)).children.map((o) => `${o.name}${o.isFolder ? '/' : ''}`).sort()

describe('MountTable', () => {
  it('lists virtual folders above mounts, mount contents with global paths, and nested mounts inside a mount', async () => {
    expect(await names('/')).toEqual(['broken/', 'x/'])
    expect(await names('/x')).toEqual(['res/'])
    expect(await names('/x/res')).toEqual(['bak/', 'docs/', 'inner/'])
    expect(await names('/x/res/bak')).toEqual(['keep.txt'])
    const a = await table.stat('/x/res/docs/a.txt')
    expect(a.path).toBe('/x/res/docs/a.txt')
    expect((await table.list('/x/res/docs')).children.map((o) => o.path).sort()).toEqual([
      '/x/res/docs/a.txt',
      '/x/res/docs/sub',
    ])
    expect((await table.stat('/x/res')).name).toBe('res')
  })

  it('answers NOT_FOUND outside every mount and the mount error inside a broken one', async () => {
    await expect(table.stat('/elsewhere')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(await table.tryStat('/elsewhere')).toBeUndefined()
    expect((await table.stat('/broken')).isFolder).toBe(true)
    await expect(table.list('/broken')).rejects.toThrow('the storage at /broken is not mounted: refresh token refused')
  })

  it('refuses writes on virtual folders and on mount roots', async () => {
    await expect(table.mkdirStrict(await table.stat('/x'), 'n')).rejects.toThrow(/read-only virtual folder/)
    await expect(table.remove(await table.stat('/x/res'))).rejects.toThrow(/where a storage is mounted/)
    await expect(table.rename(await table.stat('/x/res/bak'), 'other')).rejects.toThrow(/where a storage is mounted/)
  })

  it('moves within a mount, refuses moves across mounts, copies a folder across mounts with its bytes', async () => {
    const docs = await table.stat('/x/res/docs')
    const bak = await table.stat('/x/res/bak')
    await expect(table.move(await table.stat('/x/res/docs/a.txt'), bak)).rejects.toThrow(/different storages/)
    const copied = await table.copy(docs, bak)
    expect(copied.path).toBe('/x/res/bak/docs')
    expect((await emu.readFile('backup', '/docs/sub/b.txt')).toString()).toBe('BB')
    expect((await emu.readFile('backup', '/docs/a.txt')).toString()).toBe('A')
    await expect(table.copy(docs, bak)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' })
    const moved = await table.move(await table.stat('/x/res/docs/a.txt'), await table.stat('/x/res/inner'))
    expect(moved.path).toBe('/x/res/inner/a.txt')
  })
})
