/**
 * WebDAV over raw HTTP: the requests OpenList's WebDav driver (gowebdav) and common clients send, with the statuses
 * RFC 4918 and docs/host-notes.md §2 require.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { raw, type Reply } from '../helpers/openlist-client.js'
import { startStack, type Stack } from '../helpers/stack.js'

let s: Stack
let dav: (method: string, path: string, headers?: Record<string, string>, body?: string | Buffer) => Promise<Reply>

beforeAll(async () => {
  s = await startStack({
    seed: [
      { path: '/dir/a.txt', content: '0123456789' },
      { path: '/dir/sub', folder: true },
      { path: '/dir/名 字.txt', content: 'cjk' },
    ],
  })
  dav = (method, path, headers = {}, body) =>
    raw(`${s.server.url}/dav${path}`, method, { Authorization: s.basic, ...headers }, body)
})
afterAll(() => s.close())

const GOWEBDAV_PROPFIND =
  '<d:propfind xmlns:d="DAV:"><d:prop><d:displayname/><d:resourcetype/><d:getcontentlength/>' +
  '<d:getcontenttype/><d:getetag/><d:getlastmodified/></d:prop></d:propfind>'

describe('WebDAV', () => {
  it('401 carries WWW-Authenticate: Basic realm, so gowebdav switches to Basic', async () => {
    const r = await raw(`${s.server.url}/dav/`, 'PROPFIND', { Depth: '0' })
    expect(r.status).toBe(401)
    expect(String(r.headers['www-authenticate'])).toMatch(/^Basic realm="/)
    const wrong = await raw(`${s.server.url}/dav/`, 'PROPFIND', {
      Depth: '0',
      Authorization: `Basic ${Buffer.from('admin:x').toString('base64')}`,
    })
    expect(wrong.status).toBe(401)
  })

  it("OPTIONS announces DAV: 1, 2 (class 2: locking) and Explorer's MS-Author-Via", async () => {
    const r = await dav('OPTIONS', '/')
    expect(r.status).toBe(200)
    expect(r.headers.dav).toBe('1, 2')
    expect(r.headers['ms-author-via']).toBe('DAV')
    for (const m of ['LOCK', 'UNLOCK', 'PROPPATCH']) expect(String(r.headers.allow)).toContain(m)
    expect(String(r.headers.allow)).toContain('PROPFIND')
  })

  it('PROPFIND Depth 1 answers 207 with the folder first, then its children by href', async () => {
    const r = await dav('PROPFIND', '/dir', { Depth: '1', 'Content-Type': 'application/xml' }, GOWEBDAV_PROPFIND)
    expect(r.status).toBe(207)
    const body = r.json as string
    const hrefs = [...body.matchAll(/<D:href>([^<]+)<\/D:href>/g)].map((m) => m[1])
    expect(hrefs[0]).toBe('/dav/dir/')
    expect(hrefs.slice(1).sort()).toEqual(
      ['/dav/dir/a.txt', '/dav/dir/sub/', `/dav/dir/${encodeURIComponent('名 字.txt')}`].sort(),
    )
    expect(body).toContain('<D:getcontentlength>10</D:getcontentlength>')
    expect(body).toContain('<D:resourcetype><D:collection/></D:resourcetype>')
    expect(body).toMatch(/<D:getlastmodified>\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT<\/D:getlastmodified>/)
  })

  it('PROPFIND Depth 0 on a file; unknown properties get a 404 propstat; allprop with an empty body', async () => {
    const r = await dav(
      'PROPFIND',
      '/dir/a.txt',
      { Depth: '0' },
      '<propfind xmlns="DAV:"><prop><getetag/><x:foo xmlns:x="urn:x"/></prop></propfind>',
    )
    expect(r.status).toBe(207)
    expect(r.json).toMatch(/<D:getetag>&quot;[0-9a-f]{40}&quot;<\/D:getetag>/)
    expect(r.json).toMatch(/<X:foo xmlns:X="urn:x"\/><\/D:prop><D:status>HTTP\/1.1 404 Not Found/)
    const all = await dav('PROPFIND', '/dir/a.txt', { Depth: '0' })
    expect(all.status).toBe(207)
    expect(all.json).toContain('<D:displayname>a.txt</D:displayname>')
  })

  it('PROPFIND: invalid XML is 400, Depth infinity is 403, a missing path is 404', async () => {
    expect((await dav('PROPFIND', '/dir', { Depth: '1' }, '<propfind xmlns="DAV:"><prop>')).status).toBe(400)
    expect((await dav('PROPFIND', '/dir', { Depth: 'infinity' })).status).toBe(403)
    expect((await dav('PROPFIND', '/nope', { Depth: '0' })).status).toBe(404)
  })

  it('GET streams with Range; HEAD answers the size without a body', async () => {
    const full = await dav('GET', '/dir/a.txt')
    expect(full.status).toBe(200)
    expect(full.json).toBe('0123456789')
    const part = await dav('GET', '/dir/a.txt', { Range: 'bytes=2-4' })
    expect(part.status).toBe(206)
    expect(String(part.json)).toBe('234')
    expect(part.headers['content-range']).toBe('bytes 2-4/10')
    const head = await dav('HEAD', '/dir/a.txt')
    expect(head.status).toBe(200)
    expect(head.headers['content-length']).toBe('10')
    expect(head.headers['accept-ranges']).toBe('bytes')
  })

  it('PUT: gowebdav MKCOLs the parent first (405 = exists), then PUT 201, PUT again 204; chunked bodies spool', async () => {
    expect((await dav('MKCOL', '/dir')).status).toBe(405)
    expect(
      (await dav('PUT', '/dir/new.txt', { 'Content-Length': '5', 'Content-Type': 'text/plain' }, 'hello')).status,
    ).toBe(201)
    expect((await dav('PUT', '/dir/new.txt', { 'Content-Length': '3' }, 'bye')).status).toBe(204)
    expect(String((await dav('GET', '/dir/new.txt')).json)).toBe('bye')
    expect((await dav('PUT', '/dir/chunked.txt', { 'Transfer-Encoding': 'chunked' }, 'chunky')).status).toBe(201)
    expect(String((await dav('GET', '/dir/chunked.txt')).json)).toBe('chunky')
    expect((await dav('PUT', '/nope/x.txt', { 'Content-Length': '1' }, 'x')).status).toBe(409)
  })

  it('MKCOL: 201, 405 when it exists, 409 without a parent, 415 with a body', async () => {
    expect((await dav('MKCOL', '/dir/made')).status).toBe(201)
    expect((await dav('MKCOL', '/dir/made')).status).toBe(405)
    expect((await dav('MKCOL', '/no/such/thing')).status).toBe(409)
    expect((await dav('MKCOL', '/dir/body', { 'Content-Length': '2' }, '<>')).status).toBe(415)
  })

  it('MOVE and COPY honour Overwrite (F → 412, T → 204) and rename across folders', async () => {
    const dest = (p: string) => ({ Destination: `${s.server.url}/dav${p}` })
    await dav('PUT', '/dir/m1.txt', { 'Content-Length': '2' }, 'm1')
    await dav('PUT', '/dir/m2.txt', { 'Content-Length': '2' }, 'm2')
    expect((await dav('COPY', '/dir/m1.txt', { ...dest('/dir/sub/c1.txt') })).status).toBe(201)
    expect((await dav('MOVE', '/dir/m1.txt', { ...dest('/dir/m2.txt'), Overwrite: 'F' })).status).toBe(412)
    expect((await dav('MOVE', '/dir/m1.txt', { ...dest('/dir/m2.txt'), Overwrite: 'T' })).status).toBe(204)
    expect(String((await dav('GET', '/dir/m2.txt')).json)).toBe('m1')
    expect((await dav('GET', '/dir/m1.txt')).status).toBe(404)
    expect((await dav('MOVE', '/dir/m2.txt', dest('/dir/sub/moved.txt'))).status).toBe(201)
    expect(String((await dav('GET', '/dir/sub/moved.txt')).json)).toBe('m1')
    expect(String((await dav('GET', '/dir/sub/c1.txt')).json)).toBe('m1')
    expect((await dav('MOVE', '/dir/sub/moved.txt', dest('/elsewhere/x.txt'))).status).toBe(409)
    expect((await dav('MOVE', '/dir/sub/moved.txt', { Destination: 'http://other.example/x' })).status).toBe(502)
  })

  it('DELETE: 204, then 404; the root is refused', async () => {
    expect((await dav('DELETE', '/dir/made')).status).toBe(204)
    expect((await dav('DELETE', '/dir/made')).status).toBe(404)
    expect((await dav('DELETE', '/')).status).toBe(403)
  })

  it('paths cannot escape the mount: encoded traversal and NUL are 400', async () => {
    expect((await dav('PROPFIND', '/dir/%2e%2e/%2e%2e/etc', { Depth: '0' })).status).toBe(400)
    expect((await dav('GET', '/dir/%00x')).status).toBe(400)
    expect((await dav('GET', '/dir/..%5c..%5cx')).status).toBe(400)
    const dest = await dav('COPY', '/dir/a.txt', { Destination: `${s.server.url}/dav/dir/%2e%2e/%2e%2e/x` })
    expect(dest.status).toBe(400)
  })
})
