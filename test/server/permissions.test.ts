/**
 * `/api/me`'s permission bits describe what this server does (OpenList's bit order): every set bit's endpoints are
 * served, and the bits whose endpoints are not (offline download, FTP, shares) are clear, so OpenList's web UI,
 * which shows an action only when its bit is set, offers no action that would answer 404.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { PERMISSION_BITS, permissionBits, type Permission } from '../../src/server/openlist/permissions.js'
import { OpenListClient } from '../helpers/openlist-client.js'
import { startStack, type Stack } from '../helpers/stack.js'

let s: Stack
let api: OpenListClient
beforeAll(async () => {
  s = await startStack({ seed: [{ path: '/a.txt', content: 'a' }] })
  api = new OpenListClient(s.server.url, s.server.token)
})
afterAll(() => s?.close())

/** What each action of the UI calls (OpenList-Frontend); an empty list: nothing beyond listing and links. */
const ENDPOINTS: Record<Permission, string[]> = {
  see_hides: [],
  access_without_password: [],
  offline_download: ['/api/fs/add_offline_download'],
  write_content: ['/api/fs/mkdir', '/api/fs/put', '/api/fs/form'],
  rename: ['/api/fs/rename', '/api/fs/batch_rename'],
  move: ['/api/fs/move', '/api/fs/recursive_move'],
  copy: ['/api/fs/copy'],
  delete: ['/api/fs/remove', '/api/fs/remove_empty_directory'],
  webdav_read: [],
  webdav_manage: [],
  ftp_read: [],
  ftp_manage: [],
  read_archives: ['/api/fs/archive/meta', '/api/fs/archive/list'],
  decompress: ['/api/fs/archive/decompress'],
  share: ['/api/share/create', '/api/share/list'],
  customize_share_id: ['/api/share/create'],
}

it('/api/me sets exactly the bits this server serves', async () => {
  const me = (await api.get('/me')).json.data as { permission: number }
  const set = (Object.keys(PERMISSION_BITS) as Permission[]).filter((p) => (me.permission >> PERMISSION_BITS[p]) & 1)
  expect(set.sort()).toEqual(
    [
      'see_hides',
      'access_without_password',
      'write_content',
      'rename',
      'move',
      'copy',
      'delete',
      'webdav_read',
      'webdav_manage',
      'read_archives',
      'decompress',
    ].sort(),
  )
  expect(me.permission).toBe(permissionBits())
})

it('every endpoint behind a set bit is served; those behind a clear bit are not', async () => {
  const me = (await api.get('/me')).json.data as { permission: number }
  for (const [perm, paths] of Object.entries(ENDPOINTS) as Array<[Permission, string[]]>) {
    const granted = ((me.permission >> PERMISSION_BITS[perm]) & 1) === 1
    for (const path of paths) {
      const method = path === '/api/fs/put' || path === '/api/fs/form' ? 'PUT' : 'POST'
      const res = await fetch(`${s.server.url}${path}`, {
        method,
        headers: { Authorization: s.server.token, 'Content-Type': 'application/json' },
        body: '{}',
      })
      const code = ((await res.json()) as { code: number }).code
      expect({ perm, path, served: code !== 404 }).toEqual({ perm, path, served: granted })
    }
  }
})

it('a read-only account keeps only the reading bits', () => {
  const bits = permissionBits({ canWrite: false })
  for (const p of ['write_content', 'rename', 'move', 'copy', 'delete', 'webdav_manage', 'decompress'] as const)
    expect((bits >> PERMISSION_BITS[p]) & 1).toBe(0)
  expect((bits >> PERMISSION_BITS.read_archives) & 1).toBe(1)
})
