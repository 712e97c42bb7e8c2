/**
 * PROPPATCH and dead properties (stored per file id in SQLite, surviving renames, moves, overwrites and restarts,
 * removed with the file), protected live properties, RFC 4331 quota, and the write sequences macOS Finder and
 * Windows Explorer send when saving a file, replayed request by request.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DriverError } from '../../src/errors/index.js'
import { startServer, type RunningServer } from '../../src/server/index.js'
import { raw, type Reply } from '../helpers/openlist-client.js'
import { PASSWORD, startStack, USER, type Stack } from '../helpers/stack.js'

let s: Stack
let dir: string
let propsFile: string
let server: RunningServer
let dav: (method: string, path: string, headers?: Record<string, string>, body?: string) => Promise<Reply>

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ado-props-'))
  propsFile = join(dir, '.alipan.json.dav-props.sqlite')
  s = await startStack({ seed: [{ path: '/p', folder: true }], totalSpace: 10_000_000 }, { davPropsFile: propsFile })
  server = s.server
  dav = (method, path, headers = {}, body) =>
    raw(`${server.url}/dav${path}`, method, { Authorization: s.basic, ...headers }, body)
})
afterAll(async () => {
  await s.close()
  await rm(dir, { recursive: true, force: true })
})

const NS = 'http://example.com/ns/'
/**
 * Rows the state file holds for a file id, read straight from SQLite; `all` counts the server's own record of a
 * received file's MD5 too (src/server/webdav/oc-props.ts), which is not a client's property.
 */
function rows(id: string, all = false): number {
  const db = new Database(propsFile, { readonly: true })
  const own = all ? '' : " AND ns <> 'urn:x-aliyundrive-open:internal'"
  try {
    return (db.prepare(`SELECT count(*) AS n FROM dead_props WHERE file_id = ?${own}`).get(id) as { n: number }).n
  } finally {
    db.close()
  }
}
const setProps = (inner: string) =>
  `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:e="${NS}"><D:set><D:prop>${inner}</D:prop></D:set></D:propertyupdate>`
const getProp = (path: string, inner: string) =>
  dav(
    'PROPFIND',
    path,
    { Depth: '0' },
    `<D:propfind xmlns:D="DAV:" xmlns:e="${NS}"><D:prop>${inner}</D:prop></D:propfind>`,
  )
const put = (path: string, body = 'x', headers: Record<string, string> = {}) =>
  dav('PUT', path, { 'Content-Length': String(Buffer.byteLength(body)), ...headers }, body)

describe('PROPPATCH and dead properties', () => {
  it('set answers 207 with 200 per property; PROPFIND returns the value, nested XML and unicode intact', async () => {
    await put('/p/a.txt')
    const r = await dav(
      'PROPPATCH',
      '/p/a.txt',
      {},
      setProps('<e:color>blue &amp; green</e:color><e:nested><e:inner lang="en">𝄞 x</e:inner></e:nested>'),
    )
    expect(r.status).toBe(207)
    expect(r.json).toMatch(
      /<X:color xmlns:X="http:\/\/example.com\/ns\/"\/><X:nested [^>]*\/><\/D:prop><D:status>HTTP\/1.1 200 OK/,
    )
    const got = await getProp('/p/a.txt', '<e:color/><e:nested/><e:missing/>')
    expect(got.json).toContain(`<X:color xmlns:X="${NS}">blue &amp; green</X:color>`)
    expect(got.json).toContain(`<X:nested xmlns:X="${NS}"><N:inner xmlns:N="${NS}" lang="en">𝄞 x</N:inner></X:nested>`)
    expect(got.json).toMatch(/<X:missing[^>]*\/><\/D:prop><D:status>HTTP\/1.1 404/)
    // allprop and propname include dead properties.
    expect((await dav('PROPFIND', '/p/a.txt', { Depth: '0' })).json).toContain('blue &amp; green')
    expect(
      (await dav('PROPFIND', '/p/a.txt', { Depth: '0' }, '<propfind xmlns="DAV:"><propname/></propfind>')).json,
    ).toContain(`<X:color xmlns:X="${NS}"/>`)
  })

  it('remove deletes a property; set and remove apply in document order', async () => {
    await put('/p/r.txt')
    await dav('PROPPATCH', '/p/r.txt', {}, setProps('<e:one>1</e:one><e:two>2</e:two>'))
    const body =
      `<D:propertyupdate xmlns:D="DAV:" xmlns:e="${NS}"><D:remove><D:prop><e:one/></D:prop></D:remove>` +
      `<D:set><D:prop><e:two>22</e:two></D:prop></D:set></D:propertyupdate>`
    expect((await dav('PROPPATCH', '/p/r.txt', {}, body)).status).toBe(207)
    const got = await getProp('/p/r.txt', '<e:one/><e:two/>')
    expect(got.json).toContain('>22</X:two>')
    expect(got.json).toMatch(/<X:one[^>]*\/><\/D:prop><D:status>HTTP\/1.1 404/)
  })

  it('live properties are protected: 403 each with cannot-modify-protected-property, the rest 424, nothing applied', async () => {
    await put('/p/live.txt')
    const r = await dav(
      'PROPPATCH',
      '/p/live.txt',
      {},
      setProps('<D:getetag>"forged"</D:getetag><D:getcontentlength>1</D:getcontentlength><e:ok>1</e:ok>'),
    )
    expect(r.status).toBe(207)
    expect(r.json).toContain(
      '<D:prop><D:getetag/><D:getcontentlength/></D:prop>' +
        '<D:status>HTTP/1.1 403 Forbidden</D:status><D:error><D:cannot-modify-protected-property/></D:error>',
    )
    expect(r.json).toMatch(/<X:ok[^>]*\/><\/D:prop><D:status>HTTP\/1.1 424 Failed Dependency/)
    expect((await getProp('/p/live.txt', '<e:ok/>')).json).toContain('404 Not Found')
  })

  it('properties are keyed by file id: they follow MOVE and survive a PUT that replaces the content', async () => {
    await put('/p/m.txt')
    await dav('PROPPATCH', '/p/m.txt', {}, setProps('<e:tag>kept</e:tag>'))
    expect((await dav('MOVE', '/p/m.txt', { Destination: '/dav/p/moved.txt' })).status).toBe(201)
    expect((await getProp('/p/moved.txt', '<e:tag/>')).json).toContain('>kept</X:tag>')
    expect((await put('/p/moved.txt', 'new content')).status).toBe(204)
    expect((await getProp('/p/moved.txt', '<e:tag/>')).json).toContain('>kept</X:tag>')
  })

  it('COPY duplicates the properties onto the copy', async () => {
    await put('/p/src.txt')
    await dav('PROPPATCH', '/p/src.txt', {}, setProps('<e:tag>copied</e:tag>'))
    expect((await dav('COPY', '/p/src.txt', { Destination: '/dav/p/dst.txt' })).status).toBe(201)
    expect((await getProp('/p/dst.txt', '<e:tag/>')).json).toContain('>copied</X:tag>')
  })

  it("DELETE removes the file's properties from the store in the state folder, which persists across restarts", async () => {
    await put('/p/gone.txt')
    await put('/p/stays.txt')
    await dav('PROPPATCH', '/p/gone.txt', {}, setProps('<e:tag>doomed</e:tag>'))
    await dav('PROPPATCH', '/p/stays.txt', {}, setProps('<e:tag>persisted</e:tag>'))
    const goneId = (await s.driver.get('/p/gone.txt')).id
    expect(rows(goneId)).toBe(1)
    expect((await dav('DELETE', '/p/gone.txt')).status).toBe(204)
    expect(rows(goneId, true)).toBe(0)
    // A second server on the same state file (a restart) still has the other file's properties.
    const again = await startServer({
      driver: s.driver,
      credentials: { user: USER, password: PASSWORD },
      port: 0,
      davPropsFile: propsFile,
    })
    try {
      const r = await raw(
        `${again.url}/dav/p/stays.txt`,
        'PROPFIND',
        { Authorization: s.basic, Depth: '0' },
        `<D:propfind xmlns:D="DAV:"><D:prop><e:tag xmlns:e="${NS}"/></D:prop></D:propfind>`,
      )
      expect(r.json).toContain('>persisted</X:tag>')
    } finally {
      await again.close()
    }
  })

  it('a file removed through the OpenList API loses its properties too', async () => {
    await put('/p/api-gone.txt')
    await dav('PROPPATCH', '/p/api-gone.txt', {}, setProps('<e:tag>x</e:tag>'))
    const id = (await s.driver.get('/p/api-gone.txt')).id
    expect(rows(id)).toBe(1)
    const r = await raw(
      `${server.url}/api/fs/remove`,
      'POST',
      { Authorization: server.token, 'Content-Type': 'application/json' },
      JSON.stringify({ dir: '/p', names: ['api-gone.txt'] }),
    )
    expect(r.json.code).toBe(200)
    expect(rows(id, true)).toBe(0)
  })

  it('a malformed propertyupdate is 400; a missing resource is 404', async () => {
    expect((await dav('PROPPATCH', '/p/a.txt', {}, '<D:propertyupdate xmlns:D="DAV:"><D:set>')).status).toBe(400)
    expect((await dav('PROPPATCH', '/p/nothing.txt', {}, setProps('<e:x>1</e:x>'))).status).toBe(404)
  })
})

describe('quota (RFC 4331)', () => {
  it('named quota properties on a collection come from details(); allprop on a collection carries them too', async () => {
    const { totalSpace, usedSpace } = await s.driver.details()
    expect(totalSpace).toBe(10_000_000)
    const r = await dav(
      'PROPFIND',
      '/',
      { Depth: '0' },
      '<propfind xmlns="DAV:"><prop><quota-available-bytes/><quota-used-bytes/></prop></propfind>',
    )
    expect(r.json).toContain(`<D:quota-available-bytes>${totalSpace - usedSpace}</D:quota-available-bytes>`)
    expect(r.json).toContain(`<D:quota-used-bytes>${usedSpace}</D:quota-used-bytes>`)
    expect((await dav('PROPFIND', '/', { Depth: '0' })).json).toContain('<D:quota-used-bytes>')
    expect((await dav('PROPFIND', '/p/a.txt', { Depth: '0' })).json).not.toContain('quota')
  })

  it('when the drive cannot report its space, listings still answer and the quota properties are 404', async () => {
    const failing = Object.create(s.driver) as typeof s.driver
    failing.details = () => Promise.reject(new DriverError('UPSTREAM', 'space unavailable'))
    const other = await startServer({ driver: failing, credentials: { user: USER, password: PASSWORD }, port: 0 })
    try {
      const all = await raw(`${other.url}/dav/`, 'PROPFIND', { Authorization: s.basic, Depth: '1' })
      expect(all.status).toBe(207)
      expect(all.json).not.toContain('quota')
      const named = await raw(
        `${other.url}/dav/`,
        'PROPFIND',
        { Authorization: s.basic, Depth: '0' },
        '<propfind xmlns="DAV:"><prop><quota-used-bytes/></prop></propfind>',
      )
      expect(named.json).toMatch(/<D:quota-used-bytes\/><\/D:prop><D:status>HTTP\/1.1 404/)
    } finally {
      await other.close()
    }
  })

  it('Depth: infinity PROPFIND is refused with the propfind-finite-depth precondition', async () => {
    const r = await dav('PROPFIND', '/', { Depth: 'infinity' })
    expect(r.status).toBe(403)
    expect(r.json).toContain('<D:propfind-finite-depth/>')
  })
})

const lockinfo = (owner: string) =>
  `<?xml version="1.0" encoding="utf-8"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope>` +
  `<D:locktype><D:write/></D:locktype><D:owner><D:href>${owner}</D:href></D:owner></D:lockinfo>`

describe('desktop clients saving a file', () => {
  it('macOS Finder: LOCK the new name, zero-byte PUT, chunked PUT of the content, AppleDouble PROPPATCH and ._ file, UNLOCK', async () => {
    expect((await dav('PROPFIND', '/p/Report.txt', { Depth: '0' })).status).toBe(404)
    const l = await dav(
      'LOCK',
      '/p/Report.txt',
      { Depth: '0', Timeout: 'Second-600' },
      lockinfo('http://www.apple.com/webdav_fs/'),
    )
    expect(l.status).toBe(201)
    const token = String(l.headers['lock-token']).replace(/^<|>$/g, '')
    const withToken = { If: `(<${token}>)` }
    expect((await put('/p/Report.txt', '', withToken)).status).toBe(204)
    const content = 'Finder saved this\n'
    const chunked = await dav(
      'PUT',
      '/p/Report.txt',
      { ...withToken, 'Transfer-Encoding': 'chunked', 'X-Expected-Entity-Length': String(content.length) },
      content,
    )
    expect(chunked.status).toBe(204)
    const apple = `<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><appledoubleheader xmlns="http://www.apple.com/webdav_fs/props/">AAUWBwACAAA=</appledoubleheader></D:prop></D:set></D:propertyupdate>`
    expect((await dav('PROPPATCH', '/p/Report.txt', withToken, apple)).status).toBe(207)
    expect((await put('/p/._Report.txt', 'appledouble')).status).toBe(201)
    expect((await dav('UNLOCK', '/p/Report.txt', { 'Lock-Token': `<${token}>` })).status).toBe(204)
    expect((await dav('GET', '/p/Report.txt')).json).toBe(content)
    const pf = await dav('PROPFIND', '/p/Report.txt', { Depth: '0' })
    expect(pf.json).toContain('AAUWBwACAAA=')
    expect(pf.json).toContain('<D:lockdiscovery></D:lockdiscovery>')
  })

  it(
    'Windows Explorer: zero-byte PUT, LOCK with Timeout Infinite, Win32* PROPPATCH, ' +
      'PUT of the content, PROPPATCH again, UNLOCK',
    async () => {
      expect((await put('/p/Doc.txt', '')).status).toBe(201)
      const l = await dav(
        'LOCK',
        '/p/Doc.txt',
        { Depth: '0', Timeout: 'Infinite, Second-4100000000' },
        lockinfo('DESKTOP\\user'),
      )
      expect(l.status).toBe(200)
      const token = String(l.headers['lock-token']).replace(/^<|>$/g, '')
      const tagged = { If: `<${server.url}/dav/p/Doc.txt> (<${token}>)` }
      const win32 =
        '<?xml version="1.0" encoding="utf-8" ?><D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:schemas-microsoft-com:"><D:set><D:prop>' +
        '<Z:Win32CreationTime>Sat, 28 Nov 2026 06:00:00 GMT</Z:Win32CreationTime>' +
        '<Z:Win32LastAccessTime>Sat, 28 Nov 2026 06:00:01 GMT</Z:Win32LastAccessTime>' +
        '<Z:Win32LastModifiedTime>Sat, 28 Nov 2026 06:00:02 GMT</Z:Win32LastModifiedTime>' +
        '<Z:Win32FileAttributes>00000020</Z:Win32FileAttributes>' +
        '</D:prop></D:set></D:propertyupdate>'
      const p1 = await dav('PROPPATCH', '/p/Doc.txt', tagged, win32)
      expect(p1.status).toBe(207)
      expect(p1.json).not.toMatch(/HTTP\/1.1 (4|5)\d\d/)
      expect((await put('/p/Doc.txt', 'Explorer saved this', tagged)).status).toBe(204)
      expect((await dav('PROPPATCH', '/p/Doc.txt', tagged, win32)).status).toBe(207)
      expect((await dav('UNLOCK', '/p/Doc.txt', { 'Lock-Token': `<${token}>` })).status).toBe(204)
      expect((await dav('GET', '/p/Doc.txt')).json).toBe('Explorer saved this')
      const pf = await dav(
        'PROPFIND',
        '/p/Doc.txt',
        { Depth: '0' },
        '<D:propfind xmlns:D="DAV:" xmlns:Z="urn:schemas-microsoft-com:"><D:prop><Z:Win32FileAttributes/></D:prop></D:propfind>',
      )
      expect(pf.json).toContain('>00000020</X:Win32FileAttributes>')
    },
  )
})
