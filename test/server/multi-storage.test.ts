/**
 * One `serve` over a file of storages: the resource and backup drives of one account with 3-second access tokens,
 * plus a storage that cannot mount. Both mounts answer through /api, /dav/ and /d/ while the tokens rotate; the
 * rotations land in both rows of the file (one chain: both rows end with the same live token); the broken storage
 * shows up empty and answers its error; copy across mounts streams the bytes, move across mounts is refused.
 */
import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MountedStorages } from '../../src/cli/serve-storages.js'
import type { EmulatorHandle } from '../../src/emulator/index.js'
import type { RunningServer } from '../../src/server/index.js'
import { raw, type OpenListClient } from '../helpers/openlist-client.js'
import { row, startStoragesStack, type StoragesStack } from '../helpers/storages-stack.js'

let stack: StoragesStack
let emu: EmulatorHandle
let path: string
let mounted: MountedStorages
let server: RunningServer
let api: OpenListClient
let basic: string
let firstToken: string

beforeAll(async () => {
  stack = await startStoragesStack(
    {
      accessTokenTtlSec: 3,
      accessTokenGraceSec: 0,
      seed: [
        { path: '/r/hello.txt', content: 'resource hello\n' },
        { path: '/r/big.bin', size: 3_000_000 },
        { path: '/b/old.txt', drive: 'backup', content: 'backup old\n' },
      ],
    },
    (e) => {
      firstToken = e.issueRefreshToken()
      const renewal = { use_online_api: true, api_url_address: e.renewApiUrl }
      return {
        storages: [
          row('/resource', 0, { refresh_token: firstToken, drive_type: 'resource', ...renewal }),
          row('/backup', 1, { refresh_token: firstToken, drive_type: 'backup', ...renewal }),
          row('/broken', 2, { refresh_token: 'not-a-valid-token', drive_type: 'resource', ...renewal }),
          { ...row('/off', 3, { refresh_token: 'x' }), disabled: true },
        ],
        keep: 'me',
      }
    },
  )
  ;({ emu, path, mounted, server, api, basic } = stack)
}, 60_000)

afterAll(() => stack?.close())

const names = (r: { json: { data: { content: Array<{ name: string }> } } }) =>
  r.json.data.content.map((o) => o.name).sort()
const list = (p: string) => api.post('/fs/list', { path: p, password: '', page: 1, per_page: 0, refresh: false })
const propfindHrefs = async (p: string) => {
  const r = await raw(`${server.url}/dav${p}`, 'PROPFIND', { Authorization: basic, Depth: '1' })
  expect(r.status).toBe(207)
  return [...String(r.json).matchAll(/<D:href>([^<]+)<\/D:href>/g)].map((m) => m[1]).sort()
}

describe('serve with several storages', () => {
  it('prints which storages mounted and why one did not', () => {
    expect(mounted.lines.join('\n')).toMatch(
      /\/resource\n.*\/backup\n.*\/broken {3}NOT MOUNTED: .*refused the refresh token/,
    )
  })

  it('/ lists the mounts; each mount lists its drive through /api and /dav/, across token rotations', async () => {
    const before = emu.stats().refreshes
    for (let round = 0; round < 3; round++) {
      expect(names(await list('/'))).toEqual(['backup', 'broken', 'resource'])
      expect(names(await api.post('/fs/list', { path: '/resource/r', refresh: true }))).toEqual([
        'big.bin',
        'hello.txt',
      ])
      expect(names(await api.post('/fs/list', { path: '/backup/b', refresh: true }))).toEqual(['old.txt'])
      expect(await propfindHrefs('/')).toEqual(['/dav/', '/dav/backup/', '/dav/broken/', '/dav/resource/'])
      const got = await raw(`${server.url}/dav/backup/b/old.txt`, 'GET', { Authorization: basic })
      expect(got.json).toBe('backup old\n')
      await sleep(3_200) // past the access token's lifetime: the next round rotates
    }
    expect(emu.stats().refreshes - before).toBeGreaterThanOrEqual(2)
  }, 60_000)

  it('/d/ links work on a mount', async () => {
    const res = await fetch(server.signedUrl('/resource/r/hello.txt'))
    expect(await res.text()).toBe('resource hello\n')
  })

  it('the broken storage shows up empty and answers its error', async () => {
    const r = await list('/broken')
    expect(r.json.code).not.toBe(200)
    expect(r.json.message).toMatch(/the storage at \/broken is not mounted: .*refused the refresh token/)
  })

  it('folders above the mounts are read-only; move across mounts is refused; copy across mounts streams the bytes', async () => {
    const mk = await api.post('/fs/mkdir', { path: '/top' })
    expect(mk.json.code).not.toBe(200)
    expect(mk.json.message).toMatch(/outside every mounted storage|read-only virtual folder/)
    const mv = await api.post('/fs/move', { src_dir: '/resource/r', dst_dir: '/backup/b', names: ['hello.txt'] })
    expect(mv.json.message).toMatch(/different storages/)
    expect(emu.findByPath('resource', '/r/hello.txt')).toBeDefined()
    const cp = await api.post('/fs/copy', {
      src_dir: '/resource/r',
      dst_dir: '/backup/b',
      names: ['big.bin', 'hello.txt'],
    })
    expect(cp.json.code, cp.json.message).toBe(200)
    expect((await emu.readFile('backup', '/b/big.bin')).equals(await emu.readFile('resource', '/r/big.bin'))).toBe(true)
    expect((await emu.readFile('backup', '/b/hello.txt')).toString()).toBe('resource hello\n')
    const dav = await raw(`${server.url}/dav/resource/r/hello.txt`, 'COPY', {
      Authorization: basic,
      Destination: `${server.url}/dav/backup/b/copy.txt`,
    })
    expect(dav.status).toBe(201)
    expect((await emu.readFile('backup', '/b/copy.txt')).toString()).toBe('resource hello\n')
  }, 60_000)

  it('the file keeps its shape, and both rows of the account hold the same live token', async () => {
    const doc = JSON.parse(await readFile(path, 'utf8')) as {
      keep: string
      storages: Array<{ mount_path: string; addition: string; disabled: boolean }>
    }
    expect(doc.keep).toBe('me')
    expect(doc.storages.map((s) => s.mount_path)).toEqual(['/resource', '/backup', '/broken', '/off'])
    const additions = doc.storages.map((s) => JSON.parse(s.addition) as Record<string, string>)
    expect(additions[0]!.refresh_token).toBe(additions[1]!.refresh_token)
    expect(additions[0]!.drive_type).toBe('resource')
    expect(additions[1]!.drive_type).toBe('backup')
    expect(additions[2]!.refresh_token).toBe('not-a-valid-token')
    // Live: the relay still exchanges it (the token the chain started from was consumed by the first rotation).
    expect(additions[1]!.refresh_token).not.toBe(firstToken)
    const renew = await fetch(
      `${emu.renewApiUrl}?refresh_ui=${encodeURIComponent(additions[1]!.refresh_token!)}&server_use=true&driver_txt=alicloud_qr`,
    )
    expect(renew.status).toBe(200)
  })
})
