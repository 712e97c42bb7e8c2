/**
 * Conditional requests on /dav/ (RFC 9110 §13): one test per rule, on GET, HEAD, PUT, DELETE, MOVE and COPY, with
 * the strong SHA-1 entity tag that GET, HEAD, PUT and PROPFIND all report identically.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { raw, type Reply } from '../helpers/openlist-client.js'
import { startStack, type Stack } from '../helpers/stack.js'

let s: Stack
let dav: (method: string, path: string, headers?: Record<string, string>, body?: string) => Promise<Reply>
const sha1Tag = (text: string) => `"${createHash('sha1').update(text).digest('hex')}"`
const PAST = 'Mon, 01 Jan 2001 00:00:00 GMT'
const FUTURE = 'Fri, 01 Jan 2100 00:00:00 GMT'

beforeAll(async () => {
  s = await startStack({ seed: [{ path: '/c', folder: true }] })
  dav = (method, path, headers = {}, body) =>
    raw(`${s.server.url}/dav${path}`, method, { Authorization: s.basic, ...headers }, body)
})
afterAll(() => s.close())

async function fresh(name: string, content = 'content'): Promise<string> {
  const r = await dav('PUT', `/c/${name}`, { 'Content-Length': String(content.length) }, content)
  expect(r.status).toBeLessThan(300)
  return String(r.headers.etag)
}

describe('conditional requests', () => {
  it('the ETag is the SHA-1 of the content, identical in the PUT answer, GET, HEAD and PROPFIND getetag', async () => {
    const tag = await fresh('tag.txt', 'hello tags')
    expect(tag).toBe(sha1Tag('hello tags'))
    expect((await dav('GET', '/c/tag.txt')).headers.etag).toBe(tag)
    expect((await dav('HEAD', '/c/tag.txt')).headers.etag).toBe(tag)
    const pf = await dav(
      'PROPFIND',
      '/c/tag.txt',
      { Depth: '0' },
      '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>',
    )
    expect(pf.json).toContain(`<D:getetag>${tag.replaceAll('"', '&quot;')}</D:getetag>`)
  })

  it('GET and HEAD with a matching If-None-Match answer 304 with the ETag; a different tag gets 200', async () => {
    const tag = await fresh('inm.txt')
    for (const method of ['GET', 'HEAD']) {
      const r = await dav(method, '/c/inm.txt', { 'If-None-Match': `"other", ${tag}` })
      expect(r.status).toBe(304)
      expect(r.headers.etag).toBe(tag)
    }
    expect((await dav('GET', '/c/inm.txt', { 'If-None-Match': '"other"' })).status).toBe(200)
    // Weak comparison for If-None-Match: W/"tag" matches too.
    expect((await dav('GET', '/c/inm.txt', { 'If-None-Match': `W/${tag}` })).status).toBe(304)
  })

  it('GET with If-None-Match: * on an existing file is 304', async () => {
    await fresh('star.txt')
    expect((await dav('GET', '/c/star.txt', { 'If-None-Match': '*' })).status).toBe(304)
  })

  it('GET with If-Modified-Since: 304 when not modified since, 200 when modified after', async () => {
    await fresh('ims.txt')
    expect((await dav('GET', '/c/ims.txt', { 'If-Modified-Since': FUTURE })).status).toBe(304)
    expect((await dav('GET', '/c/ims.txt', { 'If-Modified-Since': PAST })).status).toBe(200)
    expect((await dav('GET', '/c/ims.txt', { 'If-Modified-Since': 'not a date' })).status).toBe(200)
  })

  it('If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2 step 4)', async () => {
    await fresh('both.txt')
    expect((await dav('GET', '/c/both.txt', { 'If-None-Match': '"other"', 'If-Modified-Since': FUTURE })).status).toBe(
      200,
    )
  })

  it('GET with If-Match: 412 when no tag matches (weak tags never match), 200 when one does', async () => {
    const tag = await fresh('im.txt')
    expect((await dav('GET', '/c/im.txt', { 'If-Match': '"stale"' })).status).toBe(412)
    expect((await dav('GET', '/c/im.txt', { 'If-Match': `W/${tag}` })).status).toBe(412)
    expect((await dav('GET', '/c/im.txt', { 'If-Match': tag })).status).toBe(200)
  })

  it('If-Unmodified-Since in the past is 412 on GET and on PUT; in the future the request proceeds', async () => {
    await fresh('ius.txt')
    expect((await dav('GET', '/c/ius.txt', { 'If-Unmodified-Since': PAST })).status).toBe(412)
    expect((await dav('PUT', '/c/ius.txt', { 'If-Unmodified-Since': PAST, 'Content-Length': '1' }, 'x')).status).toBe(
      412,
    )
    expect((await dav('GET', '/c/ius.txt')).json).toBe('content')
    expect((await dav('PUT', '/c/ius.txt', { 'If-Unmodified-Since': FUTURE, 'Content-Length': '1' }, 'x')).status).toBe(
      204,
    )
  })

  it('PUT with If-None-Match: * never clobbers an existing file (412) and creates a new one (201)', async () => {
    await fresh('keep.txt', 'original')
    expect((await dav('PUT', '/c/keep.txt', { 'If-None-Match': '*', 'Content-Length': '7' }, 'clobber')).status).toBe(
      412,
    )
    expect((await dav('GET', '/c/keep.txt')).json).toBe('original')
    expect((await dav('PUT', '/c/brand-new.txt', { 'If-None-Match': '*', 'Content-Length': '3' }, 'new')).status).toBe(
      201,
    )
  })

  it('PUT with If-Match: a stale tag is 412 and changes nothing; the current tag replaces and returns the new tag', async () => {
    const tag = await fresh('upd.txt', 'v1')
    expect((await dav('PUT', '/c/upd.txt', { 'If-Match': sha1Tag('v0'), 'Content-Length': '2' }, 'v2')).status).toBe(
      412,
    )
    expect((await dav('GET', '/c/upd.txt')).json).toBe('v1')
    const ok = await dav('PUT', '/c/upd.txt', { 'If-Match': tag, 'Content-Length': '2' }, 'v2')
    expect(ok.status).toBe(204)
    expect(ok.headers.etag).toBe(sha1Tag('v2'))
  })

  it('PUT with If-Match: * on a missing file is 412 (nothing to match)', async () => {
    expect((await dav('PUT', '/c/absent.txt', { 'If-Match': '*', 'Content-Length': '1' }, 'x')).status).toBe(412)
    expect((await dav('GET', '/c/absent.txt')).status).toBe(404)
  })

  it('DELETE with a stale If-Match is 412 and the file stays; with the current tag it goes', async () => {
    const tag = await fresh('del.txt')
    expect((await dav('DELETE', '/c/del.txt', { 'If-Match': '"stale"' })).status).toBe(412)
    expect((await dav('GET', '/c/del.txt')).status).toBe(200)
    expect((await dav('DELETE', '/c/del.txt', { 'If-Match': tag })).status).toBe(204)
  })

  it('MOVE and COPY check the source: a stale If-Match is 412 and nothing moves or is copied', async () => {
    const tag = await fresh('mv.txt')
    const dest = { Destination: `${s.server.url}/dav/c/mv2.txt` }
    expect((await dav('MOVE', '/c/mv.txt', { ...dest, 'If-Match': '"stale"' })).status).toBe(412)
    expect((await dav('COPY', '/c/mv.txt', { ...dest, 'If-Match': '"stale"' })).status).toBe(412)
    expect((await dav('GET', '/c/mv2.txt')).status).toBe(404)
    expect((await dav('MOVE', '/c/mv.txt', { ...dest, 'If-Match': tag })).status).toBe(201)
    expect((await dav('GET', '/c/mv2.txt')).json).toBe('content')
  })
})
