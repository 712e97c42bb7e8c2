import nock from 'nock'
import { describe, expect, it } from 'vitest'
import type { Obj } from '../../../src/host/types.js'
import { API, DRIVE, P, nockDriver, wireFile, wireFolder } from '../../helpers/nock-driver.js'
import { USER_A, accessToken, refreshToken } from '../../helpers/jwt.js'
import { AliyundriveOpen } from '../../../src/driver/aliyundrive-open.js'
import { useNock } from '../../helpers/nock-setup.js'

useNock()

const folder = (id: string, path: string): Obj => ({
  id,
  path,
  name: path.split('/').pop() || 'root',
  size: 0,
  isFolder: true,
  modified: new Date(),
  created: new Date(),
  hashes: {},
})
const file = (id: string, path: string): Obj => ({ ...folder(id, path), isFolder: false, size: 10 })

describe('init and the drive root', () => {
  it.each([
    ['default', '9000'],
    ['resource', '9001'],
    ['backup', '9002'],
  ])('drive_type %s mounts <type>_drive_id', async (driveType, id) => {
    const driver = await nockDriver({ drive_type: driveType })
    expect(driver.driveInfo?.driveId).toBe(id)
    nock(API)
      .post(P('openFile/list'), (b) => b.drive_id === id)
      .reply(200, { items: [], next_marker: '' })
    await driver.list(driver.getRoot())
    await driver.drop()
  })

  it('fails init naming a drive type the user did not grant, with no fallback', async () => {
    nock(API).post(P('user/getDriveInfo')).reply(200, { user_id: USER_A, default_drive_id: '9000' })
    const driver = new AliyundriveOpen(
      { refresh_token: refreshToken(), AccessToken: accessToken(), drive_type: 'resource' },
      { apiBaseUrl: API },
    )
    await expect(driver.init()).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/drive_type "resource".*available: default/),
    })
    await driver.drop()
  })

  it('getRoot is the configured root folder id at /', async () => {
    const driver = await nockDriver({ root_folder_id: 'abc123' })
    expect(driver.getRoot()).toMatchObject({ id: 'abc123', path: '/', name: 'root', isFolder: true })
    await driver.drop()
  })
})

describe('list', () => {
  it('follows next_marker with limit 200 and sends order only when configured', async () => {
    const driver = await nockDriver({ order_by: 'name', order_direction: 'DESC' })
    const page1 = Array.from({ length: 200 }, (_, i) => wireFile(`f${i}`, `file-${i}.txt`))
    nock(API)
      .post(P('openFile/list'), {
        drive_id: DRIVE,
        parent_file_id: 'root',
        limit: 200,
        marker: '',
        order_by: 'name',
        order_direction: 'DESC',
      })
      .reply(200, { items: page1, next_marker: 'm2' })
    nock(API)
      .post(P('openFile/list'), {
        drive_id: DRIVE,
        parent_file_id: 'root',
        limit: 200,
        marker: 'm2',
        order_by: 'name',
        order_direction: 'DESC',
      })
      .reply(200, { items: [wireFolder('d1', 'sub')], next_marker: '' })
    const objs = await driver.list(driver.getRoot())
    expect(objs).toHaveLength(201)
    expect(objs[0]).toMatchObject({
      id: 'f0',
      path: '/file-0.txt',
      size: 10,
      isFolder: false,
      hashes: { sha1: 'abcdef0123456789abcdef0123456789abcdef01' },
    })
    expect(objs[0]!.modified.toISOString()).toBe('2024-02-03T04:05:06.789Z')
    expect(objs[0]!.created.toISOString()).toBe('2024-01-02T03:04:05.678Z')
    expect(objs[200]).toMatchObject({ id: 'd1', path: '/sub', isFolder: true, size: 0, hashes: {} })
    await driver.drop()
  })

  it('omits order fields when not configured', async () => {
    const driver = await nockDriver()
    nock(API)
      .post(P('openFile/list'), (b) => !('order_by' in b) && !('order_direction' in b))
      .reply(200, { items: [], next_marker: '' })
    await expect(driver.list(driver.getRoot())).resolves.toEqual([])
    await driver.drop()
  })

  it('refuses to list a file', async () => {
    const driver = await nockDriver()
    await expect(driver.list(file('f', '/a.txt'))).rejects.toMatchObject({ code: 'NOT_FOLDER' })
    await driver.drop()
  })
})

describe('get', () => {
  it('resolves a path with one get_by_path when the drive root is mounted, then caches it', async () => {
    const driver = await nockDriver()
    nock(API)
      .post(P('openFile/get_by_path'), { drive_id: DRIVE, file_path: '/a/b.txt' })
      .once()
      .reply(200, wireFile('fb', 'b.txt'))
    expect(await driver.get('/a/b.txt')).toMatchObject({ id: 'fb', path: '/a/b.txt' })
    expect(await driver.get('a//b.txt/')).toMatchObject({ id: 'fb' })
    await driver.drop()
  })

  it('maps not-found to NOT_FOUND and rejects ".." paths', async () => {
    const driver = await nockDriver()
    nock(API).post(P('openFile/get_by_path')).reply(404, { code: 'NotFound.File', message: 'not found' })
    await expect(driver.get('/missing')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(driver.get('/a/../../etc')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('..'),
    })
    await driver.drop()
  })

  it('falls back to the listing walk when get_by_path answers a 400 that is not NotFound', async () => {
    const driver = await nockDriver()
    nock(API).post(P('openFile/get_by_path')).reply(400, { code: 'InvalidParameter.FilePath', message: 'bad path' })
    nock(API)
      .post(P('openFile/list'), (b) => b.parent_file_id === 'root')
      .reply(200, { items: [wireFile('w1', 'odd name.txt')], next_marker: '' })
    expect(await driver.get('/odd name.txt')).toMatchObject({ id: 'w1', path: '/odd name.txt' })
    await driver.drop()
  })

  it('walks listings below a sub-folder root', async () => {
    const driver = await nockDriver({ root_folder_id: 'sub-root' })
    nock(API)
      .post(P('openFile/list'), (b) => b.parent_file_id === 'sub-root')
      .reply(200, { items: [wireFolder('d1', 'docs')], next_marker: '' })
    nock(API)
      .post(P('openFile/list'), (b) => b.parent_file_id === 'd1')
      .reply(200, { items: [wireFile('f1', 'x.txt')], next_marker: '' })
    expect(await driver.get('/docs/x.txt')).toMatchObject({ id: 'f1', path: '/docs/x.txt' })
    await expect(driver.get('/docs/x.txt/deeper')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await driver.drop()
  })
})

describe('link', () => {
  it('asks for 14400 s, reads the expiry from x-oss-expires and caches until shortly before it', async () => {
    const driver = await nockDriver()
    const expires = Math.floor(Date.now() / 1000) + 900 // the server clamped our 14400 to 900
    const url = `https://data.test/f?x-oss-expires=${expires}&x-oss-signature=s`
    const scope = nock(API)
      .post(P('openFile/getDownloadUrl'), { drive_id: DRIVE, file_id: 'f1', expire_sec: 14400 })
      .once()
      .reply(200, { url, expiration: '2099-01-01T00:00:00.000Z' })
    const links = await Promise.all(Array.from({ length: 10 }, () => driver.link(file('f1', '/a.bin'))))
    expect(scope.isDone()).toBe(true)
    for (const link of links) expect(link).toEqual({ url, expiresAt: new Date(expires * 1000) })
    expect((await driver.link(file('f1', '/a.bin'))).url).toBe(url) // still cached: one upstream call in all
    await driver.drop()
  })

  it('fetches a new link once the cached one is close to expiry', async () => {
    const driver = await nockDriver()
    const soon = Math.floor(Date.now() / 1000) + 2
    nock(API)
      .post(P('openFile/getDownloadUrl'))
      .reply(200, { url: `https://data.test/1?x-oss-expires=${soon}` })
    nock(API)
      .post(P('openFile/getDownloadUrl'))
      .reply(200, { url: `https://data.test/2?x-oss-expires=${soon + 3600}` })
    expect((await driver.link(file('f', '/x'))).url).toContain('/1?')
    await new Promise((r) => setTimeout(r, 1700)) // past the margin (a fifth of 2 s)
    expect((await driver.link(file('f', '/x'))).url).toContain('/2?')
    await driver.drop()
  })

  it.each([
    ['jpeg', 'https://data.test/live.jpg'],
    ['mov', 'https://data.test/live.mov'],
  ])('serves the %s stream of a .livp from streamsUrl', async (format, expected) => {
    const driver = await nockDriver({ livp_download_format: format })
    nock(API)
      .post(P('openFile/getDownloadUrl'))
      .reply(200, {
        url: '',
        expiration: '2099-01-01T00:00:00.000Z',
        streamsUrl: { jpeg: 'https://data.test/live.jpg', mov: 'https://data.test/live.mov' },
      })
    const link = await driver.link(file('lv', '/photo.livp'))
    expect(link.url).toBe(expected)
    expect(link.expiresAt?.toISOString()).toBe('2099-01-01T00:00:00.000Z')
    await driver.drop()
  })

  it('refuses folders, and explains a missing URL', async () => {
    const driver = await nockDriver()
    await expect(driver.link(folder('d', '/d'))).rejects.toMatchObject({ code: 'NOT_FILE' })
    nock(API).post(P('openFile/getDownloadUrl')).reply(200, { url: '' })
    await expect(driver.link(file('f', '/x.bin'))).rejects.toMatchObject({
      code: 'UPSTREAM',
      message: expect.stringMatching(/no URL/),
    })
    await driver.drop()
  })
})

describe('makeDir', () => {
  it('creates with check_name_mode refuse and returns the folder (timestamps now: create answers nulls)', async () => {
    const driver = await nockDriver()
    nock(API)
      .post(P('openFile/create'), {
        drive_id: DRIVE,
        parent_file_id: 'root',
        name: 'new',
        type: 'folder',
        check_name_mode: 'refuse',
      })
      .reply(200, {
        drive_id: DRIVE,
        file_id: 'nf',
        parent_file_id: 'root',
        file_name: 'new',
        type: 'folder',
        created_at: null,
        updated_at: null,
      })
    const before = Date.now()
    const obj = await driver.makeDir(driver.getRoot(), 'new')
    expect(obj).toMatchObject({ id: 'nf', path: '/new', name: 'new', isFolder: true })
    expect(obj.modified.getTime()).toBeGreaterThanOrEqual(before)
    await driver.drop()
  })

  it('returns the existing folder (mkdir -p), but refuses when a file holds the name', async () => {
    const driver = await nockDriver()
    nock(API)
      .post(P('openFile/create'))
      .reply(200, { drive_id: DRIVE, file_id: 'old', file_name: 'x', type: 'folder', exist: true })
    nock(API).post(P('openFile/get'), { drive_id: DRIVE, file_id: 'old' }).reply(200, wireFolder('old', 'x'))
    expect(await driver.makeDir(driver.getRoot(), 'x')).toMatchObject({
      id: 'old',
      isFolder: true,
      created: new Date('2024-01-02T03:04:05.678Z'),
    })
    nock(API).post(P('openFile/create')).reply(200, { drive_id: DRIVE, file_id: 'fx', file_name: 'y', exist: true })
    nock(API).post(P('openFile/get')).reply(200, wireFile('fx', 'y'))
    await expect(driver.makeDir(driver.getRoot(), 'y')).rejects.toMatchObject({ code: 'ALREADY_EXISTS' })
    await driver.drop()
  })

  it('rejects bad names before calling the API', async () => {
    const driver = await nockDriver()
    for (const bad of ['', '.', '..', 'a/b', 'a\\b', 'x\0y', 'é'.repeat(600)]) {
      await expect(driver.makeDir(driver.getRoot(), bad)).rejects.toMatchObject({ code: 'NOT_SUPPORTED' })
    }
    await driver.drop()
  })
})

describe('rename / move / copy conflicts', () => {
  it('rename refuse: sends check_name_mode refuse; a taken name is ALREADY_EXISTS', async () => {
    const driver = await nockDriver()
    // The listing looked at first shows the name free; a writer took it before the update (the service refuses).
    nock(API)
      .post(P('openFile/list'))
      .reply(200, { items: [wireFile('f1', 'a.txt')], next_marker: '' })
    nock(API)
      .post(P('openFile/update'), { drive_id: DRIVE, file_id: 'f1', name: 'b.txt', check_name_mode: 'refuse' })
      .reply(400, { code: 'AlreadyExist.File', message: 'exists' })
    await expect(driver.rename(file('f1', '/a.txt'), 'b.txt')).rejects.toMatchObject({ code: 'ALREADY_EXISTS' })
    await driver.drop()
  })

  it('rename with conflict "rename" sends auto_rename', async () => {
    const driver = await nockDriver()
    nock(API)
      .post(P('openFile/update'), (b) => b.check_name_mode === 'auto_rename')
      .reply(200, wireFile('f1', 'b(1).txt'))
    expect(await driver.rename(file('f1', '/a.txt'), 'b.txt', { conflict: 'rename' })).toMatchObject({
      name: 'b(1).txt',
      path: '/b(1).txt',
    })
    await driver.drop()
  })

  it('rename overwrite: renames with ignore, then removes only the previous holder, by id', async () => {
    const driver = await nockDriver()
    nock(API)
      .post(P('openFile/list'))
      .reply(200, {
        items: [wireFile('f1', 'a.txt'), wireFile('old', 'b.txt'), wireFile('other', 'c.txt')],
        next_marker: '',
      })
    nock(API)
      .post(P('openFile/update'), (b) => b.check_name_mode === 'ignore')
      .reply(200, wireFile('f1', 'b.txt'))
    // The holder is read again just before its removal: still b.txt in the same folder, same content.
    nock(API).post(P('openFile/get'), { drive_id: DRIVE, file_id: 'old' }).reply(200, wireFile('old', 'b.txt'))
    const trash = nock(API)
      .post(P('openFile/recyclebin/trash'), { drive_id: DRIVE, file_id: 'old' })
      .once()
      .reply(200, { file_id: 'old' })
    expect(await driver.rename(file('f1', '/a.txt'), 'b.txt', { conflict: 'overwrite' })).toMatchObject({
      id: 'f1',
      path: '/b.txt',
    })
    expect(trash.isDone()).toBe(true)
    await driver.drop()
  })

  it('overwrite never replaces a folder by a file', async () => {
    const driver = await nockDriver()
    nock(API)
      .post(P('openFile/list'))
      .reply(200, { items: [wireFolder('dir', 'b.txt')], next_marker: '' })
    await expect(driver.rename(file('f1', '/a.txt'), 'b.txt', { conflict: 'overwrite' })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    })
    await driver.drop()
  })

  it('move refuse: exist:true means nothing moved → ALREADY_EXISTS', async () => {
    const driver = await nockDriver()
    nock(API)
      .post(P('openFile/move'), { drive_id: DRIVE, file_id: 'f1', to_parent_file_id: 'd2', check_name_mode: 'refuse' })
      .reply(200, { file_id: 'f1', exist: true })
    await expect(driver.move(file('f1', '/a.txt'), folder('d2', '/d2'))).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    })
    await driver.drop()
  })

  it('move of a folder polls its async task, then returns the object in its new place', async () => {
    const driver = await nockDriver()
    nock(API).post(P('openFile/move')).reply(200, { file_id: 'd1', async_task_id: 'task-1' })
    nock(API)
      .post(P('openFile/async_task/get'), { async_task_id: 'task-1' })
      .reply(200, { async_task_id: 'task-1', state: 'Running' })
    nock(API)
      .post(P('openFile/async_task/get'), { async_task_id: 'task-1' })
      .reply(200, { async_task_id: 'task-1', state: 'Succeed' })
    nock(API).post(P('openFile/get'), { drive_id: DRIVE, file_id: 'd1' }).reply(200, wireFolder('d1', 'photos'))
    expect(await driver.move(folder('d1', '/photos'), folder('d2', '/archive'))).toMatchObject({
      id: 'd1',
      path: '/archive/photos',
    })
    expect(nock.isDone()).toBe(true)
    await driver.drop()
  })

  it('move or copy into itself is refused', async () => {
    const driver = await nockDriver()
    await expect(driver.move(folder('d1', '/a'), folder('d9', '/a/b'))).rejects.toMatchObject({ code: 'NOT_SUPPORTED' })
    await expect(driver.copy(folder('d1', '/a'), folder('d9', '/a/b/c'))).rejects.toMatchObject({
      code: 'NOT_SUPPORTED',
    })
    await expect(driver.copy(folder('d1', '/a'), folder('d1', '/a'))).rejects.toMatchObject({ code: 'NOT_SUPPORTED' })
    await driver.drop()
  })

  it('copy refuse looks first and copies nothing when the name is taken', async () => {
    const driver = await nockDriver()
    nock(API)
      .post(P('openFile/list'), (b) => b.parent_file_id === 'd2')
      .reply(200, { items: [wireFile('x', 'a.txt')], next_marker: '' })
    await expect(driver.copy(file('f1', '/a.txt'), folder('d2', '/d2'))).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    })
    await driver.drop()
  })

  it('copy overwrite: copy with auto_rename false, then remove the previous holder by id (delete when remove_way is delete)', async () => {
    const driver = await nockDriver({ remove_way: 'delete' })
    nock(API)
      .post(P('openFile/list'))
      .reply(200, { items: [wireFile('prev', 'a.txt'), wireFile('keep', 'a.txt.bak')], next_marker: '' })
    nock(API)
      .post(P('openFile/copy'), { drive_id: DRIVE, file_id: 'f1', to_parent_file_id: 'd2', auto_rename: false })
      .reply(200, { file_id: 'c1' })
    nock(API).post(P('openFile/get'), { drive_id: DRIVE, file_id: 'c1' }).reply(200, wireFile('c1', 'a.txt'))
    nock(API)
      .post(P('openFile/get'), { drive_id: DRIVE, file_id: 'prev' })
      .reply(200, wireFile('prev', 'a.txt', { parent_file_id: 'd2' }))
    const del = nock(API).post(P('openFile/delete'), { drive_id: DRIVE, file_id: 'prev' }).once().reply(200, {})
    expect(await driver.copy(file('f1', '/a.txt'), folder('d2', '/d2'), { conflict: 'overwrite' })).toMatchObject({
      id: 'c1',
      path: '/d2/a.txt',
    })
    expect(del.isDone()).toBe(true)
    await driver.drop()
  })

  it('copy into its own folder: refuse is ALREADY_EXISTS, overwrite is refused, nothing is sent', async () => {
    const driver = await nockDriver()
    await expect(driver.copy(file('f1', '/d/a.txt'), folder('d', '/d'))).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    })
    await expect(
      driver.copy(file('f1', '/d/a.txt'), folder('d', '/d'), { conflict: 'overwrite' }),
    ).rejects.toMatchObject({ code: 'NOT_SUPPORTED' })
    await driver.drop()
  })

  it('copy rename sends auto_rename true without looking first', async () => {
    const driver = await nockDriver()
    nock(API)
      .post(P('openFile/copy'), (b) => b.auto_rename === true)
      .reply(200, { file_id: 'c2' })
    nock(API).post(P('openFile/get')).reply(200, wireFile('c2', 'a(1).txt'))
    expect(await driver.copy(file('f1', '/a.txt'), folder('d2', '/d2'), { conflict: 'rename' })).toMatchObject({
      name: 'a(1).txt',
    })
    await driver.drop()
  })
})

describe('remove, details, other', () => {
  it('trashes by default and deletes when remove_way is delete; never the root', async () => {
    const trashDriver = await nockDriver()
    const t = nock(API)
      .post(P('openFile/recyclebin/trash'), { drive_id: DRIVE, file_id: 'f1' })
      .reply(200, { file_id: 'f1' })
    await trashDriver.remove(file('f1', '/a.txt'))
    expect(t.isDone()).toBe(true)
    await expect(trashDriver.remove(trashDriver.getRoot())).rejects.toMatchObject({ code: 'NOT_SUPPORTED' })
    await trashDriver.drop()
    const deleteDriver = await nockDriver({ remove_way: 'delete' })
    const d = nock(API).post(P('openFile/delete'), { drive_id: DRIVE, file_id: 'f2' }).reply(200, {})
    await deleteDriver.remove(file('f2', '/b.txt'))
    expect(d.isDone()).toBe(true)
    await deleteDriver.drop()
  })

  it('details reads getSpaceInfo', async () => {
    const driver = await nockDriver()
    nock(API)
      .post(P('user/getSpaceInfo'))
      .reply(200, { personal_space_info: { used_size: 123, total_size: 456 } })
    expect(await driver.details()).toEqual({ totalSpace: 456, usedSpace: 123 })
    await driver.drop()
  })

  it("other('video_preview') passes getVideoPreviewPlayInfo through; other methods are NOT_SUPPORTED", async () => {
    const driver = await nockDriver()
    const info = {
      drive_id: DRIVE,
      file_id: 'v',
      video_preview_play_info: {
        category: 'live_transcoding',
        live_transcoding_task_list: [{ template_id: 'FHD', status: 'finished', url: 'https://x' }],
      },
    }
    nock(API)
      .post(P('openFile/getVideoPreviewPlayInfo'), {
        drive_id: DRIVE,
        file_id: 'v',
        category: 'live_transcoding',
        url_expire_sec: 14400,
      })
      .reply(200, info)
    expect(await driver.other('video_preview', file('v', '/v.mp4'))).toEqual(info)
    await expect(driver.other('share', file('v', '/v.mp4'))).rejects.toMatchObject({ code: 'NOT_SUPPORTED' })
    await driver.drop()
  })

  it('honours an aborted signal before sending anything', async () => {
    const driver = await nockDriver()
    const ac = new AbortController()
    ac.abort()
    await expect(driver.list(driver.getRoot(), { signal: ac.signal })).rejects.toMatchObject({ code: 'ABORTED' })
    await driver.drop()
  })
})

describe('logs and errors never carry secrets', () => {
  it('redacts tokens in everything the logger receives and in errors', async () => {
    const lines: string[] = []
    const log = (...args: unknown[]) =>
      lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '))
    const rt = refreshToken()
    const newRt = refreshToken()
    const newAt = accessToken()
    nock('https://relay.test')
      .get('/alicloud/renewapi')
      .query(true)
      .reply(200, { refresh_token: newRt, access_token: newAt })
    nock(API)
      .post(P('user/getDriveInfo'))
      .reply(200, { user_id: USER_A, default_drive_id: '1', resource_drive_id: '2' })
    nock(API)
      .post(P('openFile/list'))
      .reply(500, { code: 'InternalError', message: `echo ${newAt} ${rt}` })
    nock(API).post(P('openFile/list')).times(3).reply(500, { code: 'InternalError', message: 'x' })
    const driver = new AliyundriveOpen(
      { refresh_token: rt, api_url_address: 'https://relay.test/alicloud/renewapi' },
      { apiBaseUrl: API, logger: { debug: log, info: log, warn: log, error: log } },
      { retry: { minDelayMs: 1, maxDelayMs: 2 } },
    )
    const err = await driver.list(driver.getRoot()).then(
      () => new Error('expected a failure'),
      (e: unknown) => e as Error,
    )
    const everything = [...lines, err.message, String(err.stack), JSON.stringify(err)].join('\n')
    for (const secret of [rt, newRt, newAt]) expect(everything).not.toContain(secret)
    expect(lines.length).toBeGreaterThan(0)
    await driver.drop()
  })
})
