/**
 * The folder above several mounts carries each mount's `mount_details` (getSpaceInfo), kept per storage for the
 * row's `cache_expiration` minutes (5 minutes for a row without it), as OpenList keeps a storage's details: listing
 * that folder again asks getSpaceInfo nothing, a listing with `refresh` asks again, and a write through serve drops
 * the written storage's figures so its bar moves.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openMountedStorages, type MountedStorages } from '../../src/cli/serve-storages.js'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { startServer, type RunningServer } from '../../src/server/index.js'
import { OpenListClient } from '../helpers/openlist-client.js'

const SPACE = '/adrive/v1.0/user/getSpaceInfo'
let emu: EmulatorHandle
let dir: string
let mounted: MountedStorages
let server: RunningServer
let api: OpenListClient
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined }

beforeAll(async () => {
  emu = await startEmulator({ port: 0, limits: false, seed: [{ path: '/r/a.txt', content: 'a' }] })
  dir = await mkdtemp(join(tmpdir(), 'ado-details-'))
  const path = join(dir, 'storages.json')
  const addition = JSON.stringify(emu.driverConfig({ drive_type: 'resource' }))
  await writeFile(
    path,
    JSON.stringify([
      { mount_path: '/thirty', driver: 'AliyundriveOpen', addition, cache_expiration: 30 },
      { mount_path: '/unset', driver: 'AliyundriveOpen', addition },
    ]),
    { mode: 0o600 },
  )
  mounted = (await openMountedStorages(path, emu.apiUrl, quiet, 0))!
  server = await startServer({ fs: mounted.fs, credentials: { user: 'admin', password: 'pw' }, port: 0 })
  api = new OpenListClient(server.url, server.token)
}, 60_000)

afterAll(async () => {
  await server?.close()
  for (const d of mounted?.drivers ?? []) await d.drop()
  await emu?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const spaceCalls = () => emu.stats().calls[SPACE] ?? 0
const usage = async (refresh = false) => {
  const content = (await api.post('/fs/list', { path: '/', refresh })).json.data.content as Array<{
    name: string
    mount_details?: { used_space: number }
  }>
  return Object.fromEntries(content.map((c) => [c.name, c.mount_details?.used_space]))
}

it('two listings of the folder above the mounts ask getSpaceInfo once per mount', async () => {
  const before = spaceCalls()
  const first = await usage()
  const second = await usage()
  expect(spaceCalls() - before).toBe(2)
  expect(first.thirty).toBeTypeOf('number')
  expect(second).toEqual(first)
})

it('a listing with refresh asks again', async () => {
  const before = spaceCalls()
  await usage(true)
  expect(spaceCalls() - before).toBe(2)
})

it("a write through serve drops the written storage's figures: its bar moves, the other stays cached", async () => {
  const was = await usage()
  const before = spaceCalls()
  const put = await fetch(`${server.url}/api/fs/put`, {
    method: 'PUT',
    headers: { Authorization: server.token, 'File-Path': encodeURIComponent('/thirty/r/big.bin') },
    body: Buffer.alloc(4096, 7),
  })
  expect((await put.json()).code).toBe(200)
  const now = await usage()
  expect(spaceCalls() - before).toBe(1)
  expect(now.thirty).toBe(was.thirty! + 4096)
  expect(now.unset).toBe(was.unset)
})
