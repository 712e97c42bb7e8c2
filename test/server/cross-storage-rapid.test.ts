/**
 * Copies between storages by rapid upload (src/server/link-source.ts): the source's SHA-1 goes along and the proof's
 * 8 bytes are read with one Range request, so a copy between the resource and backup drives of one account, or into
 * another account's drive, moves no file bytes down or up. Byte counts come from the emulator's counters.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { MountedStorages } from '../../src/cli/serve-storages.js'
import type { EmulatorHandle } from '../../src/emulator/index.js'
import type { RunningServer } from '../../src/server/index.js'
import { raw, type OpenListClient } from '../helpers/openlist-client.js'
import { row, startStoragesStack, type StoragesStack } from '../helpers/storages-stack.js'

let stack: StoragesStack
let emu: EmulatorHandle
let mounted: MountedStorages
let server: RunningServer
let api: OpenListClient
let basic: string
const SIZE = 3_000_000

beforeAll(async () => {
  stack = await startStoragesStack(
    {
      seed: [
        { path: '/r/big.bin', size: SIZE },
        { path: '/r/small.txt', content: 'under the rapid-upload threshold\n' },
        { path: '/b', drive: 'backup', folder: true },
      ],
    },
    (e) => {
      const other = e.createUser()
      const renewal = { use_online_api: true, api_url_address: e.renewApiUrl }
      return {
        storages: [
          row('/resource', 0, { refresh_token: e.issueRefreshToken(), drive_type: 'resource', ...renewal }),
          row('/backup', 1, { refresh_token: e.issueRefreshToken(), drive_type: 'backup', ...renewal }),
          row('/other', 2, { refresh_token: other.issueRefreshToken(), drive_type: 'default', ...renewal }),
        ],
      }
    },
  )
  ;({ emu, mounted, server, api, basic } = stack)
}, 60_000)
afterAll(() => stack?.close())

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
