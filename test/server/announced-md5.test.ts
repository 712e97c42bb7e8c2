/**
 * Announced MD5s (docs/host-notes.md §9): `OC-Checksum: MD5:<hex>` on a WebDAV PUT (alone, or among other
 * space-separated `TYPE:hex` tokens) and OpenList's `X-File-Md5` on `/api/fs/put` and `/api/fs/form` are checked
 * against the bytes received like an announced SHA-1: a body that does not have it is refused naming the header and
 * nothing is left at the path (an overwritten file stays as it was); a type this server cannot check is ignored with
 * a debug line, not refused.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Logger } from '../../src/host/types.js'
import { OpenListClient, raw, type Reply } from '../helpers/openlist-client.js'
import { startStack, type Stack } from '../helpers/stack.js'

let s: Stack
let api: OpenListClient
let held: Buffer
const debugLines: string[] = []
const logger: Logger = {
  debug: (m: string) => void debugLines.push(m),
  info: () => {},
  warn: () => {},
  error: () => {},
}

const sha1 = (b: Buffer | string) => createHash('sha1').update(b).digest('hex')
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex')
/** Larger than the rapid-upload threshold (100 KiB), held by no drive: uploaded in parts. */
const big = Buffer.alloc(200 * 1024 + 7, 0x5a)

beforeAll(async () => {
  s = await startStack(
    {
      seed: [
        { path: '/d', folder: true },
        { path: '/held.bin', drive: 'backup', size: 300 * 1024 + 5 },
      ],
    },
    {},
    { logger },
  )
  api = new OpenListClient(s.server.url, s.server.token)
  held = await s.emu.readFile('backup', '/held.bin')
})
afterAll(async () => {
  await s.close()
})

const davPut = (path: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<Reply> =>
  raw(
    `${s.server.url}/dav${path}`,
    'PUT',
    { Authorization: s.basic, 'Content-Length': String(Buffer.byteLength(body)), ...headers },
    body,
  )
const stored = (path: string) => s.emu.findByPath('resource', path)

describe('WebDAV PUT with an MD5 in OC-Checksum', () => {
  it('a right MD5 alone is stored, and is the MD5 the server then reports', async () => {
    const r = await davPut('/d/md5-right.txt', 'right', { 'OC-Checksum': `MD5:${md5('right')}` })
    expect(r.status).toBe(201)
    expect(stored('/d/md5-right.txt')?.content_hash).toBe(sha1('right').toUpperCase())
    const head = await raw(`${s.server.url}/dav/d/md5-right.txt`, 'HEAD', { Authorization: s.basic })
    expect(head.headers['oc-checksum']).toBe(`SHA1:${sha1('right')} MD5:${md5('right')}`)
  })

  it('a wrong MD5 alone is refused with 412 naming OC-Checksum and MD5; nothing is left', async () => {
    const r = await davPut('/d/md5-wrong.txt', 'wrong', { 'OC-Checksum': `MD5:${md5('other')}` })
    expect(r.status).toBe(412)
    expect(String(r.json)).toContain('OC-Checksum')
    expect(String(r.json)).toContain('MD5')
    expect(stored('/d/md5-wrong.txt')).toBeUndefined()
  })

  it('a malformed MD5 is refused with 400 naming it', async () => {
    const r = await davPut('/d/md5-bad.txt', 'x', { 'OC-Checksum': 'MD5:xyz' })
    expect(r.status).toBe(400)
    expect(String(r.json)).toContain('MD5')
    expect(stored('/d/md5-bad.txt')).toBeUndefined()
  })

  it('a combined header is checked token by token: a right SHA1 does not excuse a wrong MD5', async () => {
    const ok = await davPut('/d/both-right.txt', 'both', { 'OC-Checksum': `SHA1:${sha1('both')} MD5:${md5('both')}` })
    expect(ok.status).toBe(201)
    const wrongMd5 = await davPut('/d/both-md5.txt', 'both', {
      'OC-Checksum': `SHA1:${sha1('both')} MD5:${md5('else')}`,
    })
    expect(wrongMd5.status).toBe(412)
    expect(stored('/d/both-md5.txt')).toBeUndefined()
    const wrongSha1 = await davPut('/d/both-sha1.txt', 'both', {
      'OC-Checksum': `sha1:${sha1('else')} md5:${md5('both')}`,
    })
    expect(wrongSha1.status).toBe(412)
    expect(stored('/d/both-sha1.txt')).toBeUndefined()
  })

  it('an unknown type is ignored with a debug line, not refused', async () => {
    debugLines.length = 0
    const r = await davPut('/d/adler.txt', 'adler', { 'OC-Checksum': `ADLER32:0a1b2c3d SHA1:${sha1('adler')}` })
    expect(r.status).toBe(201)
    expect(debugLines.some((l) => l.includes('ADLER32:0a1b2c3d'))).toBe(true)
    const alone = await davPut('/d/adler-only.txt', 'adler', { 'OC-Checksum': 'ADLER32:0a1b2c3d' })
    expect(alone.status).toBe(201)
  })

  it('a wrong MD5 over a chunked body is refused before anything is created', async () => {
    const creates = () => s.emu.stats().calls['/adrive/v1.0/openFile/create'] ?? 0
    const before = creates()
    const r = await raw(
      `${s.server.url}/dav/d/chunked.txt`,
      'PUT',
      { Authorization: s.basic, 'Transfer-Encoding': 'chunked', 'OC-Checksum': `MD5:${md5('x')}` },
      'y',
    )
    expect(r.status).toBe(412)
    expect(stored('/d/chunked.txt')).toBeUndefined()
    expect(creates()).toBe(before)
  })

  it('a wrong MD5 on a body sent in parts over an existing file leaves the old file as it was', async () => {
    expect((await davPut('/d/kept.bin', 'the old content')).status).toBe(201)
    const before = stored('/d/kept.bin')
    const r = await davPut('/d/kept.bin', big, { 'OC-Checksum': `MD5:${md5('not the body')}` })
    expect(r.status).toBe(412)
    const after = stored('/d/kept.bin')
    expect(after?.file_id).toBe(before?.file_id)
    expect(after?.content_hash).toBe(sha1('the old content').toUpperCase())
    expect(s.emu.debugTree('resource').filter((e) => e.path === '/d/kept.bin' && !e.trashed)).toHaveLength(1)
  })

  it('content the service holds, announced with its SHA1 and a wrong MD5, is not linked', async () => {
    s.emu.resetStats()
    const r = await davPut('/d/held-md5.bin', held, { 'OC-Checksum': `SHA1:${sha1(held)} MD5:${md5('no')}` })
    expect(r.status).toBe(412)
    expect(s.emu.stats().partBytes).toBe(0)
    expect(stored('/d/held-md5.bin')).toBeUndefined()
    const ok = await davPut('/d/held-ok.bin', held, { 'OC-Checksum': `SHA1:${sha1(held)} MD5:${md5(held)}` })
    expect(ok.status).toBe(201)
    expect(s.emu.stats().partBytes).toBe(0)
  })
})

describe.each([
  ['PUT /api/fs/put', (p: string, b: Buffer, h: Record<string, string>) => api.put(p, b, h)],
  ['PUT /api/fs/put, chunked', (p: string, b: Buffer, h: Record<string, string>) => api.putChunked(p, b, h)],
  ['PUT /api/fs/form', (p: string, b: Buffer, h: Record<string, string>) => api.form(p, b, h)],
])('%s with X-File-Md5', (label, upload) => {
  const base = `/${label.replace(/[^a-z]/g, '')}`

  it('a right MD5 is stored', async () => {
    const r = await upload(`${base}-right.bin`, big, { 'X-File-Md5': md5(big) })
    expect(r.json.code, JSON.stringify(r.json)).toBe(200)
    expect(stored(`${base}-right.bin`)?.content_hash).toBe(sha1(big).toUpperCase())
  })

  it('a wrong MD5 is refused naming X-File-Md5; nothing is stored', async () => {
    const r = await upload(`${base}-wrong.bin`, big, { 'X-File-Md5': md5('other') })
    expect(r.json.code).toBe(400)
    expect(r.json.message).toContain('X-File-Md5')
    expect(stored(`${base}-wrong.bin`)).toBeUndefined()
  })

  it('with both headers, a right SHA-1 does not excuse a wrong MD5 (held content is not linked)', async () => {
    const r = await upload(`${base}-held.bin`, held, { 'X-File-Sha1': sha1(held), 'X-File-Md5': md5('other') })
    expect(r.json.code).toBe(400)
    expect(r.json.message).toContain('X-File-Md5')
    expect(stored(`${base}-held.bin`)).toBeUndefined()
  })

  it('a malformed X-File-Md5 is refused naming it', async () => {
    const r = await upload(`${base}-bad.bin`, Buffer.from('x'), { 'X-File-Md5': 'abc' })
    expect(r.json.code).toBe(400)
    expect(r.json.message).toContain('X-File-Md5')
    expect(stored(`${base}-bad.bin`)).toBeUndefined()
  })
})
