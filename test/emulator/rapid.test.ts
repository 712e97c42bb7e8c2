import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EmulatorHandle } from '../../src/emulator/index.js'
import { preHashOf, sha1Hex } from '../../src/upload/rapid/hashes.js'
import { proofCodeOf } from '../../src/util/proof-code.js'
import { call, emulator, putPart } from '../helpers/emulator.js'

const content = Buffer.alloc(200 * 1024)
for (let i = 0; i < content.length; i++) content[i] = (i * 7919 + (i >> 8)) & 0xff

let emu: EmulatorHandle
let token: string
let drive: string
beforeAll(async () => {
  ;({ emu, token, drive } = await emulator({ seed: [{ path: '/stored.bin', content }] }))
})
afterAll(() => emu.close())

const create = (body: Record<string, unknown>, t = token) =>
  call(emu, t, '/adrive/v1.0/openFile/create', {
    drive_id: drive,
    parent_file_id: 'root',
    type: 'file',
    check_name_mode: 'ignore',
    part_info_list: [{ part_number: 1 }],
    ...body,
  })

describe('rapid upload (docs/api-notes.md §6.5, §6.6)', () => {
  it('pre_hash + size matching stored content → 409 PreHashMatched (case-insensitive), nothing created', async () => {
    for (const pre of [preHashOf(content), preHashOf(content).toUpperCase()]) {
      const r = await create({ name: 'copy.bin', size: content.length, pre_hash: pre })
      expect(r.status).toBe(409)
      expect(r.body.code).toBe('PreHashMatched')
      expect(r.body.requestId).toBeTruthy()
    }
    expect(emu.debugTree().filter((e) => e.name === 'copy.bin')).toHaveLength(0)
  })

  it('a pre_hash with another size, or unknown, is a normal create', async () => {
    const r = await create({ name: 'other.bin', size: content.length + 1, pre_hash: preHashOf(content) })
    expect(r.status).toBe(200)
    expect(r.body.rapid_upload).toBe(false)
    expect(r.body.part_info_list).toHaveLength(1)
  })

  it('content_hash + correct v1 proof computed with the request token → rapid_upload:true, visible, complete succeeds', async () => {
    const r = await create({
      name: 'rapid.bin',
      size: content.length,
      content_hash: sha1Hex(content),
      content_hash_name: 'sha1',
      proof_version: 'v1',
      proof_code: proofCodeOf(token, content),
    })
    expect(r.status).toBe(200)
    expect(r.body.rapid_upload).toBe(true)
    expect(r.body.upload_id).toMatch(/^[0-9A-F]{32}$/)
    const found = emu.findByPath('resource', '/rapid.bin')
    expect(found?.file_id).toBe(r.body.file_id)
    expect(found?.content_hash).toBe(sha1Hex(content).toUpperCase())
    const done = await call(emu, token, '/adrive/v1.0/openFile/complete', {
      drive_id: drive,
      file_id: r.body.file_id,
      upload_id: r.body.upload_id,
    })
    expect(done.status).toBe(200)
    expect(done.body.size).toBe(content.length)
    expect((await emu.readFile('resource', '/rapid.bin')).equals(content)).toBe(true)
  })

  it('a proof computed with another token, or an unknown hash, falls back to a normal upload (rapid_upload:false)', async () => {
    const other = emu.issueAccessToken()
    const wrong = await create({
      name: 'wrong.bin',
      size: content.length,
      content_hash: sha1Hex(content),
      content_hash_name: 'sha1',
      proof_version: 'v1',
      proof_code: proofCodeOf(other, content),
    })
    expect(wrong.status).toBe(200)
    expect(wrong.body.rapid_upload).toBe(false)
    expect(wrong.body.part_info_list[0].upload_url).toContain('x-oss-expires=')
    expect(emu.findByPath('resource', '/wrong.bin')).toBeUndefined()
    // the fallback upload still works and the declared hash is honoured at complete
    expect((await putPart(wrong.body.part_info_list[0].upload_url, content)).status).toBe(200)
    const done = await call(emu, token, '/adrive/v1.0/openFile/complete', {
      drive_id: drive,
      file_id: wrong.body.file_id,
      upload_id: wrong.body.upload_id,
    })
    expect(done.body.content_hash).toBe(sha1Hex(content).toUpperCase())

    const unknown = Buffer.from(content)
    unknown[0] = unknown[0]! ^ 1
    const r = await create({
      name: 'unknown.bin',
      size: unknown.length,
      content_hash: sha1Hex(unknown),
      content_hash_name: 'sha1',
      proof_version: 'v1',
      proof_code: proofCodeOf(token, unknown),
    })
    expect(r.body.rapid_upload).toBe(false)
  })

  it('uploaded content joins the index: a later pre_hash for it matches', async () => {
    const fresh = Buffer.alloc(150 * 1024, 3)
    const c = await create({ name: 'fresh.bin' })
    await putPart(c.body.part_info_list[0].upload_url, fresh)
    await call(emu, token, '/adrive/v1.0/openFile/complete', {
      drive_id: drive,
      file_id: c.body.file_id,
      upload_id: c.body.upload_id,
    })
    const again = await create({ name: 'fresh2.bin', size: fresh.length, pre_hash: preHashOf(fresh) })
    expect(again.body.code).toBe('PreHashMatched')
  })
})
