/**
 * Copies between storages by rapid upload (src/server/link-source.ts): the source's SHA-1 goes along and the proof's
 * 8 bytes are read with one Range request, so a copy between the resource and backup drives of one account, or into
 * another account's drive, moves no file bytes down or up. Byte counts come from the emulator's counters.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openMountedStorages, type MountedStorages } from '../../src/cli/serve-storages.js'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { startServer, type RunningServer } from '../../src/server/index.js'
import { OpenListClient, raw } from '../helpers/openlist-client.js'

let emu: EmulatorHandle
let dir: string
let mounted: MountedStorages
let server: RunningServer
let api: OpenListClient
const SIZE = 3_000_000
const basic = `Basic ${Buffer.from('admin:pw').toString('base64')}`
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined }

const row = (mount_path: string, order: number, addition: Record<string, unknown>) => ({
  mount_path,
  order,
  driver: 'AliyundriveOpen',
  remark: '',
  disabled: false,
  addition: JSON.stringify(addition),
})

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    limits: false,
    seed: [
      { path: '/r/big.bin', size: SIZE },
      { path: '/r/small.txt', content: 'under the rapid-upload threshold\n' },
      { path: '/b', drive: 'backup', folder: true },
    ],
  })
  dir = await mkdtemp(join(tmpdir(), 'ado-xrapid-'))
  const path = join(dir, 'storages.json')
  const other = emu.createUser()
  const renewal = { use_online_api: true, api_url_address: emu.renewApiUrl }
  await writeFile(
    path,
    JSON.stringify({
      storages: [
        row('/resource', 0, { refresh_token: emu.issueRefreshToken(), drive_type: 'resource', ...renewal }),
        row('/backup', 1, { refresh_token: emu.issueRefreshToken(), drive_type: 'backup', ...renewal }),
        row('/other', 2, { refresh_token: other.issueRefreshToken(), drive_type: 'default', ...renewal }),
      ],
    }),
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

it('/api/fs/copy resource → backup: the content is linked; 8 bytes read by one Range request, none uploaded', async () => {
  emu.resetStats()
  const cp = await api.post('/fs/copy', { src_dir: '/resource/r', dst_dir: '/backup/b', names: ['big.bin'] })
  expect(cp.json.code, cp.json.message).toBe(200)
  const stats = emu.stats()
  expect(stats.partBytes).toBe(0)
  expect(stats.downloads).toBe(1)
  expect(stats.downloadBytes).toBe(8)
  expect(emu.findByPath('backup', '/b/big.bin')?.content_hash).toBe(
    emu.findByPath('resource', '/r/big.bin')?.content_hash,
  )
})

it('WebDAV COPY into another account: the content is linked as well', async () => {
  emu.resetStats()
  const r = await raw(`${server.url}/dav/resource/r/big.bin`, 'COPY', {
    Authorization: basic,
    Destination: `${server.url}/dav/other/big-copy.bin`,
  })
  expect(r.status).toBe(201)
  expect(emu.stats().partBytes).toBe(0)
  expect(emu.stats().downloadBytes).toBe(8)
  const listed = await api.post('/fs/get', { path: '/other/big-copy.bin' })
  expect(listed.json.data.size).toBe(SIZE)
})

it('a file under the rapid-upload threshold is streamed as before', async () => {
  emu.resetStats()
  const cp = await api.post('/fs/copy', { src_dir: '/resource/r', dst_dir: '/backup/b', names: ['small.txt'] })
  expect(cp.json.code, cp.json.message).toBe(200)
  expect((await emu.readFile('backup', '/b/small.txt')).toString()).toBe('under the rapid-upload threshold\n')
  expect(emu.stats().partBytes).toBe(33)
})

it('a file without a known SHA-1 streams from one GET on its link into the upload, byte for byte', async () => {
  emu.resetStats()
  const src = await mounted.fs.stat('/resource/r/big.bin')
  const dst = await mounted.fs.mkdirp('/backup/streamed')
  await mounted.fs.copy({ ...src, hashes: {} }, dst)
  const stats = emu.stats()
  expect(stats.downloads).toBe(1)
  expect(stats.downloadBytes).toBe(SIZE)
  expect(stats.partBytes).toBe(SIZE)
  expect((await emu.readFile('backup', '/streamed/big.bin')).equals(await emu.readFile('resource', '/r/big.bin'))).toBe(
    true,
  )
})
