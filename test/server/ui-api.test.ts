/**
 * What OpenList's web UI needs from the API, at the HTTP level: the public endpoints before any auth, /p/ (signed,
 * proxied, Range, HEAD), page fetches of /d/ proxied, fs/search through openFile/search, fs/other video_preview,
 * fs/form multipart uploads with As-Task, zip archives (meta, list, decompress, /ae/) and other archive types.
 */
import { existsSync, readdirSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoAsset } from '../../src/emulator/demo-seed.js'
import { PUBLIC_SETTINGS } from '../../src/server/openlist/public.js'
import { scratchRoot } from '../../src/server/scratch-dir.js'
import { OpenListClient, raw } from '../helpers/openlist-client.js'
import { startStack, type Stack } from '../helpers/stack.js'

let s: Stack
let api: OpenListClient

beforeAll(async () => {
  s = await startStack({
    seed: [
      { path: '/docs/readme.txt', content: 'hello from the drive\n' },
      { path: '/docs/deep/chart-notes.txt', content: 'x' },
      { path: '/pics/chart.png', content: demoAsset('chart.png') },
      { path: '/arch/bundle.zip', content: demoAsset('bundle.zip') },
      { path: '/arch/old.rar', content: 'Rar!' },
      { path: '/video/clip.mp4', content: demoAsset('sample.mp4') },
    ],
  })
  api = new OpenListClient(s.server.url, s.server.token)
})
afterAll(() => s.close())

const signOf = async (path: string) => (await api.post('/fs/get', { path })).json.data.sign as string

describe('public endpoints, answered without credentials', () => {
  it('settings carry every key the UI reads; archive_extensions, offline_download_tools, ping and logout answer', async () => {
    const settings = await raw(`${s.server.url}/api/public/settings`, 'GET', {})
    expect(settings.json.code).toBe(200)
    for (const key of [
      'site_title',
      'logo',
      'version',
      'search_index',
      'home_container',
      'hide_files',
      'pagination_type',
      'main_color',
      'announcement',
      'home_icon',
      'audio_cover',
      'allow_mounted',
    ]) {
      expect(typeof settings.json.data[key], key).toBe('string')
    }
    expect(settings.json.data.site_title).toBe('aliyundrive-open')
    expect(settings.json.data.search_index).not.toBe('none')
    expect(settings.json.data).toEqual(PUBLIC_SETTINGS)
    expect((await raw(`${s.server.url}/api/public/archive_extensions`, 'GET', {})).json).toEqual({
      code: 200,
      message: 'success',
      data: ['.zip'],
    })
    expect((await raw(`${s.server.url}/api/public/offline_download_tools`, 'GET', {})).json).toEqual({
      code: 200,
      message: 'success',
      data: [],
    })
    const ping = await raw(`${s.server.url}/ping`, 'GET', {})
    expect([ping.status, ping.json]).toEqual([200, 'pong'])
    // Logout ends a session, so it needs one (OpenList routes it in its auth group); test/server/api-sessions.test.ts.
    expect((await raw(`${s.server.url}/api/auth/logout`, 'GET', {})).json.code).toBe(401)
    // Everything else still needs the token.
    expect(
      (
        await raw(
          `${s.server.url}/api/fs/search`,
          'POST',
          { 'Content-Type': 'application/json' },
          '{"parent":"/","keywords":"a"}',
        )
      ).json.code,
    ).toBe(401)
  })
})

describe('/p/ and page fetches of /d/', () => {
  it('/p/ streams the bytes with the /d/ signature, Range and HEAD; a bad sign is refused', async () => {
    const sign = encodeURIComponent(await signOf('/docs/readme.txt'))
    const got = await raw(`${s.server.url}/p/docs/readme.txt?sign=${sign}`, 'GET', {})
    expect([got.status, got.json]).toEqual([200, 'hello from the drive\n'])
    const part = await raw(`${s.server.url}/p/docs/readme.txt?sign=${sign}`, 'GET', { Range: 'bytes=6-9' })
    expect([part.status, part.json, part.headers['content-range']]).toEqual([206, 'from', 'bytes 6-9/21'])
    const head = await raw(`${s.server.url}/p/docs/readme.txt?sign=${sign}`, 'HEAD', {})
    expect([head.status, head.headers['content-length']]).toEqual([200, '21'])
    expect((await raw(`${s.server.url}/p/docs/readme.txt?sign=x:0`, 'GET', {})).status).toBe(401)
    expect((await raw(`${s.server.url}/p/docs/c.txt?sign=${sign}`, 'GET', {})).status).toBe(401)
  })

  it('/d/ redirects, except for a page fetch (Sec-Fetch-Mode: cors from a browser), which gets the bytes', async () => {
    const sign = encodeURIComponent(await signOf('/docs/readme.txt'))
    expect((await raw(`${s.server.url}/d/docs/readme.txt?sign=${sign}`, 'GET', {})).status).toBe(302)
    expect(
      (
        await raw(`${s.server.url}/d/docs/readme.txt?sign=${sign}`, 'GET', {
          'Sec-Fetch-Mode': 'no-cors',
          'Sec-Fetch-Site': 'same-origin',
        })
      ).status,
    ).toBe(302)
    // Node's fetch: mode cors but no Sec-Fetch-Site; it follows redirects, so it keeps getting them.
    expect(
      (await raw(`${s.server.url}/d/docs/readme.txt?sign=${sign}`, 'GET', { 'Sec-Fetch-Mode': 'cors' })).status,
    ).toBe(302)
    const fetched = await raw(`${s.server.url}/d/docs/readme.txt?sign=${sign}`, 'GET', {
      'Sec-Fetch-Mode': 'cors',
      'Sec-Fetch-Site': 'same-origin',
    })
    expect([fetched.status, fetched.json]).toEqual([200, 'hello from the drive\n'])
  })
})

describe('fs/search, fs/other', () => {
  it('search finds names under the folder, any depth, with mount paths; scope and paging apply', async () => {
    const all = await api.post('/fs/search', { parent: '/', keywords: 'chart', scope: 0, page: 1, per_page: 100 })
    expect(all.json.code).toBe(200)
    const found = (all.json.data.content as Array<{ parent: string; name: string; is_dir: boolean; type: number }>)
      .map((c) => `${c.parent}/${c.name}`)
      .sort()
    expect(found).toEqual(['/docs/deep/chart-notes.txt', '/pics/chart.png'])
    expect(all.json.data.total).toBe(2)
    const under = await api.post('/fs/search', { parent: '/docs', keywords: 'chart' })
    expect(under.json.data.content).toEqual([
      { parent: '/docs/deep', name: 'chart-notes.txt', is_dir: false, size: 1, type: 4 },
    ])
    const folders = await api.post('/fs/search', { parent: '/', keywords: 'deep', scope: 1 })
    expect(folders.json.data.content.map((c: { name: string }) => c.name)).toEqual(['deep'])
    const paged = await api.post('/fs/search', { parent: '/', keywords: 'chart', page: 2, per_page: 1 })
    expect([paged.json.data.content.length, paged.json.data.total]).toEqual([1, 2])
    expect((await api.post('/fs/search', { parent: '/', keywords: '' })).json.code).toBe(400)
  })

  it('other video_preview answers the play info the UI reads, and its playlist plays from a page (CORS)', async () => {
    const r = await api.post('/fs/other', { path: '/video/clip.mp4', method: 'video_preview', password: '' })
    expect(r.json.code).toBe(200)
    const tasks = r.json.data.video_preview_play_info.live_transcoding_task_list as Array<{
      url: string
      status: string
    }>
    expect(tasks.length).toBeGreaterThan(0)
    const playlist = await fetch(tasks.at(-1)!.url)
    expect(playlist.headers.get('access-control-allow-origin')).toBe('*')
    const text = await playlist.text()
    const init = /#EXT-X-MAP:URI="([^"]+)",BYTERANGE="(\d+)@0"/.exec(text)
    expect(init).not.toBeNull()
    const head = await fetch(init![1]!, { headers: { Range: `bytes=0-${Number(init![2]) - 1}` } })
    expect(head.status).toBe(206)
    expect(
      Buffer.from(await head.arrayBuffer())
        .subarray(4, 8)
        .toString(),
    ).toBe('ftyp')
    expect((await api.post('/fs/other', { path: '/video/clip.mp4', method: 'nope' })).json.code).toBe(400)
  })
})

describe('fs/form', () => {
  it('takes a multipart upload and, with As-Task, answers a finished task', async () => {
    const boundary = '----aliyundrive-open-test'
    const body = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.txt"\r\n` +
        `Content-Type: text/plain\r\n\r\nform body bytes\r\n--${boundary}--\r\n`,
    )
    const r = await raw(
      `${s.server.url}/api/fs/form`,
      'PUT',
      {
        Authorization: s.server.token,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'File-Path': encodeURIComponent('/up/form file.txt'),
        'As-Task': 'true',
      },
      body,
    )
    expect(r.json.code).toBe(200)
    expect(r.json.data.task).toMatchObject({ state: 2, progress: 100, error: '' })
    const sign = encodeURIComponent(await signOf('/up/form file.txt'))
    expect((await raw(`${s.server.url}/p/up/form%20file.txt?sign=${sign}`, 'GET', {})).json).toBe('form body bytes')
    const none = await raw(
      `${s.server.url}/api/fs/form`,
      'PUT',
      {
        Authorization: s.server.token,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'File-Path': '/up/y.txt',
      },
      `--${boundary}--\r\n`,
    )
    expect(none.json.code).toBe(400)
  })
})

describe('fs/form, a client that leaves mid-body', () => {
  it('gives up on the upload and removes its temp file', async () => {
    // Spooled bodies live in this process's scratch folder (src/server/scratch-dir.ts).
    const scratch = join(scratchRoot(), String(process.pid))
    const spools = () =>
      existsSync(scratch) ? readdirSync(scratch).filter((n) => n.startsWith('aliyundrive-open-form-')).length : 0
    const before = spools()
    const port = Number(new URL(s.server.url).port)
    const boundary = 'b0undary'
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x"\r\n\r\npartial`
    const sock = connect(port, '127.0.0.1')
    await new Promise<void>((resolve) => sock.once('connect', () => resolve()))
    sock.write(
      `PUT /api/fs/form HTTP/1.1\r\nHost: x\r\nAuthorization: ${s.server.token}\r\nFile-Path: /up/partial.txt\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 100000\r\n\r\n${head}`,
    )
    await expect.poll(spools, { timeout: 5_000 }).toBe(before + 1)
    sock.destroy()
    await expect.poll(spools, { timeout: 5_000 }).toBe(before)
    expect((await api.post('/fs/get', { path: '/up/partial.txt' })).json.code).toBe(404)
  })
})

describe('batch tools', () => {
  it('batch_rename renames each pair and skips empty ones; remove_empty_directory prunes folders with no file', async () => {
    await api.post('/fs/mkdir', { path: '/batch/keep/sub' })
    await api.post('/fs/mkdir', { path: '/batch/gone/deeper/deepest' })
    await raw(
      `${s.server.url}/api/fs/put`,
      'PUT',
      { Authorization: s.server.token, 'File-Path': '/batch/keep/sub/f.txt', 'Content-Length': '1' },
      'f',
    )
    await raw(
      `${s.server.url}/api/fs/put`,
      'PUT',
      { Authorization: s.server.token, 'File-Path': '/batch/a.txt', 'Content-Length': '1' },
      'a',
    )
    const renamed = await api.post('/fs/batch_rename', {
      src_dir: '/batch',
      rename_objects: [
        { src_name: 'a.txt', new_name: 'b.txt' },
        { src_name: 'x', new_name: '' },
      ],
    })
    expect(renamed.json.code).toBe(200)
    expect((await api.post('/fs/remove_empty_directory', { src_dir: '/batch' })).json.code).toBe(200)
    const left = await api.post('/fs/list', { path: '/batch', refresh: true })
    expect(left.json.data.content.map((c: { name: string }) => c.name).sort()).toEqual(['b.txt', 'keep'])
    expect((await api.post('/fs/get', { path: '/batch/keep/sub/f.txt' })).json.code).toBe(200)
    const bad = await api.post('/fs/batch_rename', {
      src_dir: '/batch',
      rename_objects: [{ src_name: 'b.txt', new_name: '../escape.txt' }],
    })
    expect(bad.json.code).not.toBe(200)
  })
})

describe('recursive move', () => {
  const put = (path: string, body: string) =>
    raw(
      `${s.server.url}/api/fs/put`,
      'PUT',
      { Authorization: s.server.token, 'File-Path': path, 'Content-Length': String(body.length) },
      body,
    )

  it('moves every file of the subtree flat into the target; cancel refuses a taken name, skip leaves it', async () => {
    await put('/rm/src/a.txt', 'a')
    await put('/rm/src/sub/b.txt', 'b')
    await put('/rm/src/sub/deeper/c.txt', 'c')
    await put('/rm/dst/c.txt', 'old c')
    const cancel = await api.post('/fs/recursive_move', {
      src_dir: '/rm/src',
      dst_dir: '/rm/dst',
      conflict_policy: 'cancel',
    })
    expect([cancel.json.code, cancel.json.message]).toEqual([409, 'file [c.txt] exists'])
    expect((await api.post('/fs/get', { path: '/rm/src/a.txt' })).json.code).toBe(200)
    const skip = await api.post('/fs/recursive_move', {
      src_dir: '/rm/src',
      dst_dir: '/rm/dst',
      conflict_policy: 'skip',
    })
    expect(skip.json.code).toBe(200)
    const dst = await api.post('/fs/list', { path: '/rm/dst', refresh: true })
    expect(dst.json.data.content.map((c: { name: string }) => c.name).sort()).toEqual(['a.txt', 'b.txt', 'c.txt'])
    const sign = encodeURIComponent(await signOf('/rm/dst/c.txt'))
    expect((await raw(`${s.server.url}/p/rm/dst/c.txt?sign=${sign}`, 'GET', {})).json).toBe('old c')
    expect((await api.post('/fs/get', { path: '/rm/src/sub/deeper/c.txt' })).json.code).toBe(200)
    expect(
      (await api.post('/fs/recursive_move', { src_dir: '/rm', dst_dir: '/rm/dst', conflict_policy: 'skip' })).json.code,
    ).toBe(400)
  })
})

describe('archives', () => {
  it('zip: meta tree, list of an inner folder, /ae/ extract, decompress into the drive', async () => {
    const meta = await api.post('/fs/archive/meta', {
      path: '/arch/bundle.zip',
      password: '',
      archive_pass: '',
      refresh: false,
    })
    expect(meta.json.code).toBe(200)
    expect(meta.json.data.content.map((c: { name: string }) => c.name)).toEqual(['bundle'])
    expect(meta.json.data.content[0].children.map((c: { name: string }) => c.name).sort()).toEqual(['docs', 'images'])
    const list = await api.post('/fs/archive/list', {
      path: '/arch/bundle.zip',
      inner_path: '/bundle/docs',
      page: 1,
      per_page: 0,
    })
    expect(list.json.data.content.map((c: { name: string; size: number }) => [c.name, c.size])).toEqual([
      ['inside.md', 59],
      ['inside.txt', 68],
    ])
    const ae = await raw(
      `${meta.json.data.raw_url}?inner=${encodeURIComponent('/bundle/docs/inside.txt')}&sign=${encodeURIComponent(meta.json.data.sign)}`,
      'GET',
      {},
    )
    expect([ae.status, ae.json]).toEqual([200, 'Files inside a zip, listed through HTTP Range reads of the archive.\n'])
    // Bytes from inside an archive are file bytes from our origin too (src/server/file-bytes-headers.ts).
    expect([ae.headers['content-security-policy'], ae.headers['x-content-type-options']]).toEqual([
      'sandbox',
      'nosniff',
    ])
    expect(ae.headers['content-type']).toMatch(/^text\/plain/)
    expect(
      (await raw(`${meta.json.data.raw_url}?inner=%2Fbundle%2Fdocs%2Finside.txt&sign=x:0`, 'GET', {})).status,
    ).toBe(401)
    const dec = await api.post('/fs/archive/decompress', {
      src_dir: '/arch',
      dst_dir: '/out',
      name: ['bundle.zip'],
      inner_path: '/bundle/docs',
      put_into_new_dir: true,
    })
    expect(dec.json).toEqual({ code: 200, message: 'success', data: { task: [] } })
    const out = await api.post('/fs/list', { path: '/out/bundle', refresh: true })
    expect(out.json.data.content.map((c: { name: string }) => c.name).sort()).toEqual(['inside.md', 'inside.txt'])
  })

  it('other archive types answer as OpenList without a tool for them', async () => {
    const r = await api.post('/fs/archive/meta', { path: '/arch/old.rar' })
    expect([r.json.code, r.json.message]).toEqual([500, 'unknown archive format'])
  })
})
