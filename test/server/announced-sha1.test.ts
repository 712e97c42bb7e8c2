/**
 * OpenList's upload endpoints with `X-File-Sha1` (docs/host-notes.md §6): content the service already holds is stored
 * by rapid upload without its bytes going to AliyunDrive; a body that does not have the announced SHA-1 is refused
 * naming the header, and nothing is left at the path — also when its first KiB and size match the announced file's.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OpenListClient } from '../helpers/openlist-client.js'
import { startStack, type Stack } from '../helpers/stack.js'

let s: Stack
let api: OpenListClient
let held: Buffer
let forged: Buffer

const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('hex')

beforeAll(async () => {
  s = await startStack({ seed: [{ path: '/held.bin', drive: 'backup', size: 256 * 1024 + 3 }] })
  api = new OpenListClient(s.server.url, s.server.token)
  held = await s.emu.readFile('backup', '/held.bin')
  // Same size and first KiB as the held file; different bytes spread after it.
  forged = Buffer.from(held)
  for (let i = 2048; i < forged.length; i += 4096) forged[i] = forged[i]! ^ 0xff
})
afterAll(async () => {
  await s.close()
})

describe.each([
  ['PUT /api/fs/put', (p: string, b: Buffer, h: Record<string, string>) => api.put(p, b, h)],
  ['PUT /api/fs/put, chunked', (p: string, b: Buffer, h: Record<string, string>) => api.putChunked(p, b, h)],
  ['PUT /api/fs/form', (p: string, b: Buffer, h: Record<string, string>) => api.form(p, b, h)],
])('%s with X-File-Sha1', (label, upload) => {
  const base = `/${label.replace(/[^a-z]/g, '')}`

  it('content held by another drive is stored without its bytes', async () => {
    s.emu.resetStats()
    const r = await upload(`${base}-held.bin`, held, { 'X-File-Sha1': sha1(held) })
    expect(r.json.code, JSON.stringify(r.json)).toBe(200)
    expect(s.emu.stats().partBytes).toBe(0)
    expect(s.emu.findByPath('resource', `${base}-held.bin`)?.content_hash).toBe(sha1(held).toUpperCase())
  })

  it('a body that differs from the announced SHA-1 is refused naming X-File-Sha1; nothing is stored', async () => {
    const r = await upload(`${base}-forged.bin`, forged, { 'X-File-Sha1': sha1(held) })
    expect(r.json.code).toBe(400)
    expect(r.json.message).toContain('X-File-Sha1')
    expect(s.emu.findByPath('resource', `${base}-forged.bin`)).toBeUndefined()
  })

  it('a malformed X-File-Sha1 is refused naming it', async () => {
    const r = await upload(`${base}-bad.bin`, Buffer.from('x'), { 'X-File-Sha1': 'abc' })
    expect(r.json.code).toBe(400)
    expect(r.json.message).toContain('X-File-Sha1')
    expect(s.emu.findByPath('resource', `${base}-bad.bin`)).toBeUndefined()
  })
})
