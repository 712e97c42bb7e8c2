/**
 * The ownCloud dialect (docs/host-notes.md §6): oc:checksums and oc:fileid in PROPFIND, OC-Checksum on GET/HEAD
 * (answered without a download), X-OC-Mtime on PUT and PROPPATCH of DAV:lastmodified (kept per file id, shown as
 * getlastmodified and Last-Modified), and a PUT's announced OC-Checksum: rapid upload of content the service holds,
 * and refusal (412, nothing left at the path) of a body that does not match it.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { raw, type Reply } from '../helpers/openlist-client.js'
import { startStack, type Stack } from '../helpers/stack.js'

let s: Stack
let dav: (method: string, path: string, headers?: Record<string, string>, body?: Buffer | string) => Promise<Reply>
let held: Buffer

const sha1 = (b: Buffer | string) => createHash('sha1').update(b).digest('hex')
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex')
const OC = 'http://owncloud.org/ns'

beforeAll(async () => {
  s = await startStack({
    seed: [
      { path: '/oc', folder: true },
      // Content held by another drive of the service: rapid upload may link it without its bytes.
      { path: '/held.bin', drive: 'backup', size: 300 * 1024 + 5 },
    ],
  })
  dav = (method, path, headers = {}, body) =>
    raw(`${s.server.url}/dav${path}`, method, { Authorization: s.basic, ...headers }, body)
  held = await s.emu.readFile('backup', '/held.bin')
})
afterAll(async () => {
  await s.close()
})

const put = (path: string, body: Buffer | string, headers: Record<string, string> = {}) =>
  dav('PUT', path, { 'Content-Length': String(Buffer.byteLength(body)), ...headers }, body)
const propfind = (path: string, body: string, depth = '0') => dav('PROPFIND', path, { Depth: depth }, body)
const named = (inner: string) =>
  `<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:oc="${OC}"><d:prop>${inner}</d:prop></d:propfind>`

describe('checksums and file ids', () => {
  it('PROPFIND by name and allprop answer oc:checksums (SHA1, and MD5 of bytes this server received) and oc:fileid', async () => {
    const body = 'checksum me\n'
    expect((await put('/oc/c.txt', body)).status).toBe(201)
    const id = s.emu.findByPath('resource', '/oc/c.txt')!.file_id
    const downloads = s.emu.stats().downloads

    const byName = await propfind('/oc/c.txt', named('<oc:checksums/><oc:fileid/><d:getcontentlength/>'))
    expect(byName.status).toBe(207)
    const text = String(byName.json)
    expect(text).toContain(`<oc:checksum>SHA1:${sha1(body)} MD5:${md5(body)}</oc:checksum>`)
    expect(text).toMatch(new RegExp(`<oc:fileid xmlns:oc="${OC}">${id}</oc:fileid>`))
    expect(text).not.toContain('404 Not Found')

    const all = String((await propfind('/oc/c.txt', '')).json)
    expect(all).toContain(`SHA1:${sha1(body)}`)
    expect(all).toContain(`>${id}</oc:fileid>`)
    // The internal MD5 record is not a dead property a client can see.
    expect(all).not.toContain('urn:x-aliyundrive-open')

    const head = await dav('HEAD', '/oc/c.txt')
    expect(head.headers['oc-checksum']).toBe(`SHA1:${sha1(body)} MD5:${md5(body)}`)
    expect(s.emu.stats().downloads).toBe(downloads)
  })

  it('a file the drive holds without this server seeing its bytes gets SHA1 only; folders get no checksum', async () => {
    const r = await propfind('/', named('<oc:checksums/><oc:fileid/>'), '1')
    const text = String(r.json)
    expect(text).toMatch(/<D:href>\/dav\/oc\/<\/D:href><D:propstat><D:prop><oc:fileid/)
    expect(text).toMatch(
      /<D:href>\/dav\/oc\/<\/D:href>.*?<X:checksums xmlns:X="http:\/\/owncloud.org\/ns"\/><\/D:prop><D:status>HTTP\/1.1 404/,
    )
  })

  it('the internal namespace cannot be written through PROPPATCH', async () => {
    await put('/oc/p.txt', 'p')
    const r = await dav(
      'PROPPATCH',
      '/oc/p.txt',
      {},
      `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:i="urn:x-aliyundrive-open:internal">` +
        `<D:set><D:prop><i:md5>x</i:md5></D:prop></D:set></D:propertyupdate>`,
    )
    expect(String(r.json)).toContain('403 Forbidden')
  })
})

describe('client modification times', () => {
  it('X-OC-Mtime on PUT is accepted and shown as getlastmodified and Last-Modified; local_modified_at reaches the API', async () => {
    const r = await put('/oc/t.txt', 'time', { 'X-OC-Mtime': '1600000000' })
    expect(r.status).toBe(201)
    expect(r.headers['x-oc-mtime']).toBe('accepted')
    const when = new Date(1_600_000_000_000).toUTCString()
    expect(String((await propfind('/oc/t.txt', named('<d:getlastmodified/>'))).json)).toContain(
      `<D:getlastmodified>${when}</D:getlastmodified>`,
    )
    expect((await dav('HEAD', '/oc/t.txt')).headers['last-modified']).toBe(when)
    expect((await dav('GET', '/oc/t.txt')).headers['last-modified']).toBe(when)
    expect(s.emu.findByPath('resource', '/oc/t.txt')?.local_modified_at).toBe(new Date(1_600_000_000_000).toISOString())
  })

  it('PROPPATCH of DAV:lastmodified sets the time; a value that is not Unix seconds is refused', async () => {
    await put('/oc/u.txt', 'u')
    const set = (v: string) =>
      dav(
        'PROPPATCH',
        '/oc/u.txt',
        {},
        `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop>` +
          `<lastmodified xmlns="DAV:">${v}</lastmodified></D:prop></D:set></D:propertyupdate>`,
      )
    expect((await set('1500000000')).status).toBe(207)
    expect((await dav('HEAD', '/oc/u.txt')).headers['last-modified']).toBe(new Date(1_500_000_000_000).toUTCString())
    const bad = await set('yesterday')
    expect(bad.status).toBe(400)
    expect(String(bad.json)).toContain('DAV:lastmodified')
  })

  it('a bad X-OC-Mtime is refused naming the header; a later PUT without one drops the stored time', async () => {
    const bad = await put('/oc/v.txt', 'v', { 'X-OC-Mtime': 'soon' })
    expect(bad.status).toBe(400)
    expect(String(bad.json)).toContain('X-OC-Mtime')
    expect(s.emu.findByPath('resource', '/oc/v.txt')).toBeUndefined()
    await put('/oc/v.txt', 'v', { 'X-OC-Mtime': '1400000000' })
    await put('/oc/v.txt', 'v2')
    expect((await dav('HEAD', '/oc/v.txt')).headers['last-modified']).not.toBe(
      new Date(1_400_000_000_000).toUTCString(),
    )
  })
})

describe('PUT with OC-Checksum', () => {
  it('a right checksum is stored; a wrong one is refused with 412 naming OC-Checksum and nothing is left', async () => {
    const ok = await put('/oc/r.txt', 'right', { 'OC-Checksum': `SHA1:${sha1('right')}` })
    expect(ok.status).toBe(201)
    const wrong = await put('/oc/w.txt', 'wrong', { 'OC-Checksum': `SHA1:${sha1('other')}` })
    expect(wrong.status).toBe(412)
    expect(String(wrong.json)).toContain('OC-Checksum')
    expect(s.emu.findByPath('resource', '/oc/w.txt')).toBeUndefined()
    const malformed = await put('/oc/m.txt', 'm', { 'OC-Checksum': 'SHA1:xyz' })
    expect(malformed.status).toBe(400)
  })

  it('a wrong checksum over a chunked body is refused before anything is created', async () => {
    const creates = () => s.emu.stats().calls['/adrive/v1.0/openFile/create'] ?? 0
    const before = creates()
    const r = await dav(
      'PUT',
      '/oc/chunked.txt',
      { 'Transfer-Encoding': 'chunked', 'OC-Checksum': `SHA1:${sha1('x')}` },
      'y',
    )
    expect(r.status).toBe(412)
    expect(s.emu.findByPath('resource', '/oc/chunked.txt')).toBeUndefined()
    expect(creates()).toBe(before)
  })

  it('content the service holds (another drive) is stored by rapid upload: no part byte is sent', async () => {
    s.emu.resetStats()
    const r = await put('/oc/rapid.bin', held, { 'OC-Checksum': `SHA1:${sha1(held)}` })
    expect(r.status).toBe(201)
    expect(s.emu.stats().partBytes).toBe(0)
    expect(s.emu.findByPath('resource', '/oc/rapid.bin')?.content_hash).toBe(sha1(held).toUpperCase())
  })

  it('a body that differs from held content it announces, even with the same first KiB and proof bytes, is refused', async () => {
    // Same size and pre-hash as the held file, different bytes everywhere after the first KiB except nowhere the
    // server can predict: only the full SHA-1 tells them apart.
    const forged = Buffer.from(held)
    for (let i = 2048; i < forged.length; i += 4096) forged[i] = forged[i]! ^ 0xff
    s.emu.resetStats()
    const r = await put('/oc/forged.bin', forged, { 'OC-Checksum': `SHA1:${sha1(held)}` })
    expect(r.status).toBe(412)
    // What the create made (a rapid link, or a reservation when the proof bytes differed) was removed by its id.
    expect(s.emu.stats().calls['/adrive/v1.0/openFile/delete']).toBe(1)
    expect(String(r.json)).toContain('OC-Checksum')
    expect(s.emu.findByPath('resource', '/oc/forged.bin')).toBeUndefined()
  })
})
