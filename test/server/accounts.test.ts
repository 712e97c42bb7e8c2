/**
 * Accounts beside the admin (README "Accounts"): a read-only account reads through WebDAV, /api and links and every
 * write it tries is refused (WebDAV 403, /api code 403) with the drive unchanged; a confined account sees its base
 * path as `/` and no route reaches outside it, signed links included; `--read-only` makes the admin read-only too;
 * the users file names its bad entries; replacing the accounts takes effect at once; locks are per account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { staticHash } from '../../src/server/auth.js'
import { permissionBits } from '../../src/server/openlist/permissions.js'
import { parseUsers, type UserEntry } from '../../src/server/index.js'
import { raw } from '../helpers/openlist-client.js'
import { PASSWORD, startStack, USER, type Stack } from '../helpers/stack.js'

const LOCKINFO =
  '<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope>' +
  '<D:locktype><D:write/></D:locktype></D:lockinfo>'
const PROPPATCH =
  '<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:z">' +
  '<D:set><D:prop><Z:a>1</Z:a></D:prop></D:set></D:propertyupdate>'

const SEED = [
  { path: '/t.txt', content: 'admin t at the root' },
  { path: '/secret.txt', content: 'outside every confined account' },
  { path: '/team/t.txt', content: 'team t' },
  { path: '/team/docs/d.txt', content: 'team doc' },
  { path: '/teamwork/x.txt', content: 'beside team, not in it' },
]

const USERS = parseUsers(
  JSON.stringify([
    { username: 'reader', password: 'reader-pw', read_only: true },
    { username: 'team', password_sha256: staticHash('team-pw'), base_path: '/team' },
    { username: 'viewer', password: 'viewer-pw', read_only: true, base_path: '/team/' },
  ]),
  'users.json',
  USER,
)

const basic = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`
const READER = basic('reader', 'reader-pw')
const TEAM = basic('team', 'team-pw')
const VIEWER = basic('viewer', 'viewer-pw')

let s: Stack

beforeAll(async () => {
  s = await startStack({ seed: SEED }, { users: USERS })
}, 60_000)

afterAll(async () => {
  await s?.close()
})

const dav = (method: string, path: string, auth: string, headers: Record<string, string> = {}, body?: string) =>
  raw(`${s.server.url}/dav${path}`, method, { Authorization: auth, ...headers }, body)
const api = (path: string, auth: string, body: unknown, method = 'POST', headers: Record<string, string> = {}) =>
  raw(
    `${s.server.url}/api${path}`,
    method,
    { Authorization: auth, 'Content-Type': 'application/json', ...headers },
    typeof body === 'string' ? body : JSON.stringify(body),
  )

describe('a read-only account', () => {
  it('reads through WebDAV, and every WebDAV write is 403 with the drive unchanged', async () => {
    const before = s.tree()
    expect((await dav('PROPFIND', '/', READER, { Depth: '1' })).status).toBe(207)
    expect((await dav('GET', '/team/t.txt', READER)).json).toBe('team t')
    const writes: Array<[string, string, Record<string, string>, string?]> = [
      ['PUT', '/new.txt', {}, 'x'],
      ['PUT', '/t.txt', {}, 'overwrite'],
      ['DELETE', '/t.txt', {}],
      ['MKCOL', '/newdir', {}],
      ['COPY', '/t.txt', { Destination: `${s.server.url}/dav/copy.txt` }],
      ['MOVE', '/t.txt', { Destination: `${s.server.url}/dav/moved.txt` }],
      ['PROPPATCH', '/t.txt', { 'Content-Type': 'application/xml' }, PROPPATCH],
      ['LOCK', '/t.txt', { 'Content-Type': 'application/xml' }, LOCKINFO],
    ]
    for (const [method, path, headers, body] of writes)
      expect((await dav(method, path, READER, headers, body)).status, `${method} ${path}`).toBe(403)
    expect(s.tree()).toEqual(before)
  })

  it('reads through /api, every /api write is code 403 with the drive unchanged, and raw_url opens', async () => {
    const before = s.tree()
    const list = await api('/fs/list', READER, { path: '/team' })
    expect(list.json.code).toBe(200)
    expect((list.json.data.content as Array<{ name: string }>).map((c) => c.name).sort()).toEqual(['docs', 't.txt'])
    expect(list.json.data.write).toBe(false)
    expect((await api('/fs/list', s.basic, { path: '/team' })).json.data.write).toBe(true)
    const get = await api('/fs/get', READER, { path: '/team/t.txt' })
    expect(get.json.code).toBe(200)
    expect(await (await fetch(get.json.data.raw_url as string)).text()).toBe('team t')
    const writes: Array<[string, unknown]> = [
      ['/fs/mkdir', { path: '/nd' }],
      ['/fs/rename', { path: '/t.txt', name: 'r.txt' }],
      ['/fs/move', { src_dir: '/', dst_dir: '/team', names: ['t.txt'] }],
      ['/fs/copy', { src_dir: '/', dst_dir: '/team', names: ['t.txt'] }],
      ['/fs/remove', { dir: '/', names: ['t.txt'] }],
      ['/fs/batch_rename', { src_dir: '/', rename_objects: [{ src_name: 't.txt', new_name: 'b.txt' }] }],
      ['/fs/recursive_move', { src_dir: '/team', dst_dir: '/' }],
      ['/fs/remove_empty_directory', { src_dir: '/team' }],
      ['/fs/archive/decompress', { src_dir: '/', dst_dir: '/', name: ['a.zip'] }],
    ]
    for (const [path, body] of writes) expect((await api(path, READER, body)).json.code, path).toBe(403)
    const put = await api('/fs/put', READER, 'data', 'PUT', { 'File-Path': '/put.txt', 'Content-Type': 'text/plain' })
    expect(put.json.code).toBe(403)
    const form = await api('/fs/form', READER, 'data', 'PUT', { 'File-Path': '/form.txt' })
    expect(form.json.code).toBe(403)
    expect(s.tree()).toEqual(before)
  })

  it('/api/me shows no write bit, so the UI shows no write button', async () => {
    const me = (await api('/me', READER, '', 'GET')).json.data as { username: string; permission: number; role: number }
    expect(me.username).toBe('reader')
    expect(me.role).toBe(0)
    for (const bit of [3, 4, 5, 6, 7, 9, 13]) expect((me.permission >> bit) & 1, `bit ${bit}`).toBe(0)
    for (const bit of [8, 12]) expect((me.permission >> bit) & 1, `bit ${bit}`).toBe(1)
    const admin = (await api('/me', s.basic, '', 'GET')).json.data as { permission: number; role: number }
    expect(admin).toMatchObject({ permission: permissionBits(), role: 2 })
  })
})

describe('a confined account', () => {
  it('sees its base path as / over WebDAV, writes land inside it, and nothing outside is reachable', async () => {
    const prop = await dav('PROPFIND', '/', TEAM, { Depth: '1' })
    expect(prop.status).toBe(207)
    const hrefs = [...String(prop.json).matchAll(/<D:href>([^<]+)<\/D:href>/g)].map((m) => m[1])
    expect(hrefs.sort()).toEqual(['/dav/', '/dav/docs/', '/dav/t.txt'])
    expect((await dav('GET', '/t.txt', TEAM)).json).toBe('team t')
    expect((await dav('GET', '/secret.txt', TEAM)).status).toBe(404)
    expect((await dav('GET', '/%2e%2e/secret.txt', TEAM)).status).toBe(400)
    expect((await dav('PUT', '/made.txt', TEAM, {}, 'made by team')).status).toBe(201)
    expect(s.emu.findByPath('resource', '/team/made.txt')).toBeDefined()
    expect(s.emu.findByPath('resource', '/made.txt')).toBeUndefined()
    const move = await dav('MOVE', '/made.txt', TEAM, { Destination: `${s.server.url}/dav/docs/made.txt` })
    expect(move.status).toBe(201)
    expect(s.emu.findByPath('resource', '/team/docs/made.txt')).toBeDefined()
    // Its root is the folder /team to the drive, and stays: not removed, not moved away.
    expect((await dav('DELETE', '/', TEAM)).status).toBe(403)
    expect(s.emu.findByPath('resource', '/team')).toBeDefined()
  })

  it('sees its base path as / over /api; search answers drive paths inside it only', async () => {
    const list = await api('/fs/list', TEAM, { path: '/' })
    expect((list.json.data.content as Array<{ name: string }>).map((c) => c.name).sort()).toContain('t.txt')
    expect((list.json.data.content as Array<{ name: string }>).map((c) => c.name)).not.toContain('secret.txt')
    expect((await api('/fs/get', TEAM, { path: '/secret.txt' })).json.code).toBe(404)
    expect((await api('/fs/get', TEAM, { path: '/../secret.txt' })).json.code).toBe(400)
    expect((await api('/fs/list', TEAM, { path: '/../teamwork' })).json.code).toBe(400)
    const me = (await api('/me', TEAM, '', 'GET')).json.data as { base_path: string; permission: number }
    expect(me).toMatchObject({ base_path: '/team', permission: permissionBits() })
    const search = await api('/fs/search', TEAM, { parent: '/', keywords: 't', scope: 0, page: 1, per_page: 100 })
    expect(search.json.code).toBe(200)
    const parents = (search.json.data.content as Array<{ parent: string }>).map((c) => c.parent)
    expect(parents.length).toBeGreaterThan(0)
    for (const p of parents) expect(p === '/team' || p.startsWith('/team/'), p).toBe(true)
  })

  it('its signed link opens its own file only, never the same-named path elsewhere', async () => {
    const get = await api('/fs/get', TEAM, { path: '/t.txt' })
    const rawUrl = get.json.data.raw_url as string
    expect(rawUrl).toMatch(/\/d\/t\.txt\?sign=/)
    // No credentials: the link alone opens the team's t.txt, not the admin's /t.txt at the same URL path.
    expect(await (await fetch(rawUrl)).text()).toBe('team t')
    const sign = new URL(rawUrl).searchParams.get('sign')!
    for (const other of ['/d/secret.txt', '/d/docs/d.txt', '/d/team/docs/d.txt', '/p/secret.txt'])
      expect((await raw(`${s.server.url}${other}?sign=${encodeURIComponent(sign)}`, 'GET', {})).status, other).toBe(401)
    // With its credentials and no sign, /d/ paths are the account's paths too.
    expect((await raw(`${s.server.url}/d/secret.txt`, 'GET', { Authorization: TEAM })).status).toBe(404)
    expect((await raw(`${s.server.url}/p/t.txt`, 'GET', { Authorization: TEAM })).json).toBe('team t')
    // The admin's link for /t.txt opens the admin's file.
    const adminGet = await api('/fs/get', s.basic, { path: '/t.txt' })
    expect(await (await fetch(adminGet.json.data.raw_url as string)).text()).toBe('admin t at the root')
  })

  it('a confined read-only account reads below its base and writes nothing', async () => {
    expect((await dav('GET', '/docs/d.txt', VIEWER)).json).toBe('team doc')
    expect((await dav('PUT', '/v.txt', VIEWER, {}, 'v')).status).toBe(403)
    expect((await api('/fs/mkdir', VIEWER, { path: '/v' })).json.code).toBe(403)
  })
})

describe('logging in', () => {
  it('login and login/hash give the account its own token, confined like its password', async () => {
    const login = await api('/auth/login', '', { username: 'team', password: 'team-pw' })
    expect(login.json.code).toBe(200)
    const token = login.json.data.token as string
    expect(token).not.toBe(s.server.token)
    const hashed = await api('/auth/login/hash', '', { username: 'team', password: staticHash('team-pw') })
    // Each login is a session of its own (README "Auth"), confined like the account's password.
    const hashedToken = hashed.json.data.token as string
    expect(hashedToken).not.toBe(token)
    for (const t of [token, hashedToken]) {
      const list = await api('/fs/list', t, { path: '/' })
      expect((list.json.data.content as Array<{ name: string }>).map((c) => c.name)).not.toContain('secret.txt')
    }
    expect((await api('/auth/login', '', { username: 'team', password: 'wrong' })).json.code).toBe(400)
    expect((await api('/auth/login', '', { username: 'reader', password: 'team-pw' })).json.code).toBe(400)
  })
})

describe('locks are per account', () => {
  it("one account's lock token means nothing to another", async () => {
    const lock = await dav(
      'LOCK',
      '/t.txt',
      TEAM,
      { 'Content-Type': 'application/xml', Timeout: 'Second-60' },
      LOCKINFO,
    )
    expect(lock.status).toBe(200)
    const token = String(lock.headers['lock-token'])
    expect((await dav('UNLOCK', '/team/t.txt', s.basic, { 'Lock-Token': token })).status).toBe(409)
    expect((await dav('UNLOCK', '/t.txt', TEAM, { 'Lock-Token': token })).status).toBe(204)
  })
})

describe('the whole server read-only, and replacing the accounts', () => {
  it('--read-only refuses the admin its writes too', async () => {
    const ro = await startStack({ seed: SEED }, { readOnly: true, users: USERS })
    try {
      expect((await raw(`${ro.server.url}/dav/x.txt`, 'PUT', { Authorization: ro.basic }, 'x')).status).toBe(403)
      const me = await raw(`${ro.server.url}/api/me`, 'GET', { Authorization: ro.server.token })
      expect((me.json.data.permission >> 3) & 1).toBe(0)
      const team = await raw(`${ro.server.url}/dav/x.txt`, 'PUT', { Authorization: TEAM }, 'x')
      expect(team.status).toBe(403)
      expect(ro.emu.findByPath('resource', '/x.txt')).toBeUndefined()
    } finally {
      await ro.close()
    }
  })

  it('setUsers: a removed account is refused at once; a changed one gets its new base', async () => {
    const next: UserEntry[] = [{ username: 'team', password: 'team-pw', readOnly: true, basePath: '/teamwork' }]
    s.server.setUsers(next)
    try {
      expect((await dav('PROPFIND', '/', READER, { Depth: '0' })).status).toBe(401)
      expect((await dav('GET', '/x.txt', TEAM)).json).toBe('beside team, not in it')
      expect((await dav('PUT', '/y.txt', TEAM, {}, 'y')).status).toBe(403)
      expect((await dav('GET', '/', basic(USER, PASSWORD), { Depth: '0' })).status).toBe(200)
    } finally {
      s.server.setUsers(USERS)
    }
  })
})

describe('the users file', () => {
  it('names every bad entry', () => {
    const bad = JSON.stringify([
      { username: 'a' },
      { username: 'b', password: 'x', password_sha256: 'f'.repeat(64) },
      { username: 'admin', password: 'x' },
      { username: 'c', password: 'x', base_path: 'relative' },
      { username: 'd', password: 'x', base_path: '/a/../b' },
      { username: 'e', password: 'x', readonly: true },
      { username: 'f', password_sha256: 'abc' },
      { username: 'g', password: 'x' },
      { username: 'g', password: 'y' },
    ])
    let message = ''
    try {
      parseUsers(bad, 'users.json', 'admin')
    } catch (e) {
      message = (e as Error).message
    }
    expect(message).toMatch(/^--users users\.json: /)
    expect(message).toMatch(/entry 0 \("a"\): give exactly one of "password" and "password_sha256"/)
    expect(message).toMatch(/entry 1 \("b"\): give exactly one/)
    expect(message).toMatch(/entry 2 \("admin"\): the user name is already taken \(by the admin of --user\)/)
    expect(message).toMatch(/entry 3 \("c"\): base_path must start with "\/"/)
    expect(message).toMatch(/entry 4 \("d"\): base_path/)
    expect(message).toMatch(/entry 5 \("e"\): .*readonly/)
    expect(message).toMatch(/entry 6 \("f"\): .*password_sha256 must be 64 hex digits/)
    expect(message).toMatch(/entry 8 \("g"\): the user name is already taken \(above\)/)
    expect(message).not.toMatch(/entry 7/)
    expect(() => parseUsers('{"username":"a"}', 'u.json', 'admin')).toThrow(/must be a JSON array/)
    expect(() => parseUsers('[', 'u.json', 'admin')).toThrow(/u\.json: not valid JSON/)
  })
})
