/**
 * The OpenList-compatible API, driven the way OpenList's "OpenList" driver drives it (docs/host-notes.md §1): Init
 * (/api/me, login when needed), List (per_page 0), Link (fs/get raw_url, then a GET that follows the 302), MakeDir,
 * Put (File-Path with CJK and spaces), Rename, Move, Copy, Remove; archive requests; the 401 path.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OpenListClient, raw } from '../helpers/openlist-client.js'
import { envelope, errorEnvelope, fsGetResp, fsListResp, loginResp, meResp } from '../helpers/protocol-schemas.js'
import { PASSWORD, startStack, USER, type Stack } from '../helpers/stack.js'

let s: Stack
let api: OpenListClient

beforeAll(async () => {
  s = await startStack({
    seed: [
      { path: '/docs/readme.txt', content: 'hello openlist\n' },
      { path: '/docs/b.bin', size: 100_000 },
      { path: '/docs/c.txt', content: 'c' },
      { path: '/dst', folder: true },
    ],
  })
  api = new OpenListClient(s.server.url, s.server.token)
})
afterAll(() => s.close())

const names = async (path: string) => {
  const r = await api.post('/fs/list', { path, password: '', page: 1, per_page: 0, refresh: false })
  return fsListResp
    .parse(envelope(fsListResp).parse(r.json).data)
    .content.map((o) => o.name)
    .sort()
}

describe('OpenList driver replay', () => {
  it('Init: /api/me with the configured token, as role ADMIN', async () => {
    const r = await api.get('/me')
    expect(r.status).toBe(200)
    const me = envelope(meResp).parse(r.json).data
    expect(me).toMatchObject({ username: USER, role: 2 })
  })

  it('Init with username/password: /me → 401 → /auth/login → /me', async () => {
    const fresh = new OpenListClient(s.server.url, '')
    const first = await fresh.get('/me')
    expect(first.status).toBe(200)
    expect(errorEnvelope.parse(first.json).code).toBe(401)
    const login = await fresh.post('/auth/login', { username: USER, password: PASSWORD })
    fresh.token = envelope(loginResp).parse(login.json).data.token
    expect(envelope(meResp).parse((await fresh.get('/me')).json).data.username).toBe(USER)
  })

  it('login/hash accepts the static-salted hash, login refuses a wrong password', async () => {
    const hash = createHash('sha256').update(`${PASSWORD}-https://github.com/alist-org/alist`).digest('hex')
    const token = envelope(loginResp).parse(
      (await api.post('/auth/login/hash', { username: USER, password: hash })).json,
    ).data.token
    expect(envelope(meResp).parse((await new OpenListClient(s.server.url, token).get('/me')).json).data.username).toBe(
      USER,
    )
    const bad = await api.post('/auth/login', { username: USER, password: 'nope' })
    expect(errorEnvelope.parse(bad.json).code).toBe(400)
  })

  it('List: per_page 0 returns every entry, shaped as ObjResp', async () => {
    const r = await api.post('/fs/list', { path: '/docs', password: '', page: 1, per_page: 0, refresh: false })
    const data = envelope(fsListResp).parse(r.json).data
    expect(data.total).toBe(3)
    expect(data.content.map((o) => o.name).sort()).toEqual(['b.bin', 'c.txt', 'readme.txt'])
    const readme = data.content.find((o) => o.name === 'readme.txt')!
    expect(JSON.parse(readme.hashinfo)).toEqual({ sha1: createHash('sha1').update('hello openlist\n').digest('hex') })
    expect(readme.type).toBe(4)
  })

  it('List: paging when per_page > 0', async () => {
    const r = await api.post('/fs/list', { path: '/docs', page: 2, per_page: 2 })
    const data = envelope(fsListResp).parse(r.json).data
    expect(data.total).toBe(3)
    expect(data.content).toHaveLength(1)
  })

  it('Link: raw_url is ours, stable, and a GET following its 302 gets the bytes', async () => {
    const a = envelope(fsGetResp).parse(
      (await api.post('/fs/get', { path: '/docs/readme.txt', password: '' })).json,
    ).data
    const b = envelope(fsGetResp).parse(
      (await api.post('/fs/get', { path: '/docs/readme.txt', password: '' })).json,
    ).data
    expect(a.raw_url).toBe(b.raw_url)
    expect(a.raw_url.startsWith(`${s.server.url}/d/docs/readme.txt?sign=`)).toBe(true)
    const redirect = await fetch(a.raw_url, { redirect: 'manual' })
    expect(redirect.status).toBe(302)
    expect(redirect.headers.get('location')).toMatch(new RegExp(`^${s.emu.apiUrl}`))
    const followed = await fetch(a.raw_url)
    expect(await followed.text()).toBe('hello openlist\n')
  })

  it('Link: ?proxy=1 streams through us with Range', async () => {
    const { raw_url } = envelope(fsGetResp).parse((await api.post('/fs/get', { path: '/docs/readme.txt' })).json).data
    const r = await fetch(`${raw_url}&proxy=1`, { headers: { Range: 'bytes=6-13' } })
    expect(r.status).toBe(206)
    expect(r.headers.get('content-range')).toBe('bytes 6-13/15')
    expect(await r.text()).toBe('openlist')
  })

  it('/d refuses a bad or transplanted sign, and accepts the admin credentials instead', async () => {
    const { raw_url } = envelope(fsGetResp).parse((await api.post('/fs/get', { path: '/docs/readme.txt' })).json).data
    const sign = new URL(raw_url).searchParams.get('sign')!
    expect(
      (await fetch(`${s.server.url}/d/docs/c.txt?sign=${encodeURIComponent(sign)}`, { redirect: 'manual' })).status,
    ).toBe(401)
    expect((await fetch(`${s.server.url}/d/docs/readme.txt?sign=x:0`, { redirect: 'manual' })).status).toBe(401)
    expect(
      (await fetch(`${s.server.url}/d/docs/readme.txt`, { redirect: 'manual', headers: { Authorization: s.basic } }))
        .status,
    ).toBe(302)
  })

  it('MakeDir, then Put with File-Path containing CJK and spaces, X-File-Sha1 and Content-Length', async () => {
    expect((await api.post('/fs/mkdir', { path: '/up/新 文件夹' })).json.code).toBe(200)
    const bytes = Buffer.from('上传 的 内容\n')
    const sha1 = createHash('sha1').update(bytes).digest('hex')
    const r = await api.put('/up/新 文件夹/中文 名 file.txt', bytes, { 'X-File-Sha1': sha1, 'As-Task': 'false' })
    expect(r.status).toBe(200)
    expect(r.json.code).toBe(200)
    expect(await names('/up/新 文件夹')).toEqual(['中文 名 file.txt'])
    const got = envelope(fsGetResp).parse(
      (await api.post('/fs/get', { path: '/up/新 文件夹/中文 名 file.txt' })).json,
    ).data
    expect(got.size).toBe(bytes.byteLength)
    expect(Buffer.from(await (await fetch(got.raw_url)).arrayBuffer()).equals(bytes)).toBe(true)
  })

  it('Put: a percent-encoded File-Path (web UI style) and Overwrite: false on a taken name', async () => {
    expect((await api.put(encodeURIComponent('/up/a b%.txt'), Buffer.from('1'))).json.code).toBe(200)
    expect(await names('/up')).toContain('a b%.txt')
    const refused = await api.put('/up/a b%.txt', Buffer.from('2'), { Overwrite: 'false' })
    expect(errorEnvelope.parse(refused.json).code).toBe(409)
    expect((await api.put('/up/a b%.txt', Buffer.from('22'))).json.code).toBe(200)
    expect(envelope(fsGetResp).parse((await api.post('/fs/get', { path: '/up/a b%.txt' })).json).data.size).toBe(2)
  })

  it('Rename, Move, Copy, Remove; listings follow at once', async () => {
    await api.put('/work/x.txt', Buffer.from('xx'))
    expect((await api.post('/fs/rename', { path: '/work/x.txt', name: 'y.txt' })).json.code).toBe(200)
    expect(await names('/work')).toEqual(['y.txt'])
    expect((await api.post('/fs/move', { src_dir: '/work', dst_dir: '/dst', names: ['y.txt'] })).json.code).toBe(200)
    expect(await names('/work')).toEqual([])
    expect(await names('/dst')).toEqual(['y.txt'])
    expect((await api.post('/fs/copy', { src_dir: '/dst', dst_dir: '/work', names: ['y.txt'] })).json.code).toBe(200)
    expect(await names('/work')).toEqual(['y.txt'])
    const taken = await api.post('/fs/copy', { src_dir: '/dst', dst_dir: '/work', names: ['y.txt'] })
    expect(errorEnvelope.parse(taken.json).code).toBe(409)
    expect((await api.post('/fs/remove', { dir: '/dst', names: ['y.txt'] })).json.code).toBe(200)
    expect(await names('/dst')).toEqual([])
  })

  it('archive endpoints answer a non-200 code', async () => {
    for (const ep of ['meta', 'list', 'decompress']) {
      const r = await api.post(`/fs/archive/${ep}`, {
        path: '/docs/b.bin',
        archive_pass: '',
        password: '',
        refresh: false,
      })
      expect(r.status).toBe(200)
      expect(errorEnvelope.parse(r.json).code).not.toBe(200)
    }
  })
})

describe('errors and safety', () => {
  it('every fs endpoint needs the token: code 401 in an HTTP 200 envelope', async () => {
    for (const ep of ['/fs/list', '/fs/get', '/fs/mkdir', '/fs/remove']) {
      const r = await new OpenListClient(s.server.url, 'wrong').post(ep, { path: '/' })
      expect(r.status).toBe(200)
      expect(errorEnvelope.parse(r.json).code).toBe(401)
    }
    expect(
      errorEnvelope.parse((await new OpenListClient(s.server.url, 'wrong').put('/x', Buffer.from('x'))).json).code,
    ).toBe(401)
  })

  it('NOT_FOUND maps to code 404, a bad body to 400 with the field named, traversal to 400', async () => {
    expect(errorEnvelope.parse((await api.post('/fs/get', { path: '/nope' })).json).code).toBe(404)
    const bad = errorEnvelope.parse((await api.post('/fs/rename', { path: '/docs/c.txt' })).json)
    expect(bad.code).toBe(400)
    expect(bad.message).toMatch(/name/)
    expect(errorEnvelope.parse((await api.post('/fs/list', { path: '/docs/../..' })).json).code).toBe(400)
    expect(errorEnvelope.parse((await api.post('/fs/remove', { dir: '/', names: ['docs/c.txt'] })).json).code).toBe(400)
    const notJson = await raw(`${s.server.url}/api/fs/list`, 'POST', { Authorization: s.server.token }, '{oops')
    expect(errorEnvelope.parse(notJson.json).code).toBe(400)
  })

  it('repeated listings are served from the cache; a write invalidates it', async () => {
    await names('/docs')
    s.emu.resetStats()
    for (let i = 0; i < 5; i++) await names('/docs')
    expect(s.emu.stats().calls['/adrive/v1.0/openFile/list'] ?? 0).toBe(0)
    await api.put('/docs/new.txt', Buffer.from('n'))
    expect(await names('/docs')).toContain('new.txt')
    const r = await api.post('/fs/list', { path: '/docs', refresh: true })
    expect(r.json.code).toBe(200)
  })
})
