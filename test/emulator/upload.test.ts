import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createResponseSchema,
  uploadedPartsResponseSchema,
  uploadUrlResponseSchema,
  wireFileSchema,
} from '../../src/api/wire.js'
import type { EmulatorHandle } from '../../src/emulator/index.js'
import { call, emulator, putPart, sha1Upper, uploadFile } from '../helpers/emulator.js'

let emu: EmulatorHandle | undefined
afterEach(async () => {
  await emu?.close()
  emu = undefined
})

async function create(e: EmulatorHandle, token: string, drive: string, body: Record<string, unknown>) {
  const r = await call(e, token, '/adrive/v1.0/openFile/create', {
    drive_id: drive,
    parent_file_id: 'root',
    type: 'file',
    ...body,
  })
  return r
}

describe('upload protocol (docs/api-notes.md §6)', () => {
  it('create reserves ids shaped like real ones and one URL per requested part; file invisible until complete', async () => {
    const s = await emulator()
    emu = s.emu
    const r = await create(s.emu, s.token, s.drive, {
      name: 'a.bin',
      check_name_mode: 'ignore',
      part_info_list: [{ part_number: 1 }, { part_number: 2 }],
    })
    expect(r.status).toBe(200)
    const c = createResponseSchema.parse(r.body)
    expect(c.file_id).toMatch(/^[0-9a-f]{40}$/)
    expect(parseInt(c.file_id.slice(0, 8), 16)).toBeCloseTo(Date.now() / 1000, -2)
    expect(c.upload_id).toMatch(/^[0-9A-F]{32}$/)
    expect(c.file_name).toBe('a.bin')
    expect((r.body as { name?: unknown }).name).toBeNull() // on the wire; the driver reads null as absent
    expect(c.rapid_upload).toBe(false)
    expect(c.part_info_list!.map((p) => p.part_number)).toEqual([1, 2])
    for (const p of c.part_info_list!) expect(new URL(p.upload_url!).searchParams.get('x-oss-expires')).toMatch(/^\d+$/)
    const list = await call(s.emu, s.token, '/adrive/v1.0/openFile/list', { drive_id: s.drive, parent_file_id: 'root' })
    expect(list.body.items).toHaveLength(0)
    expect(s.emu.findByPath('resource', '/a.bin')).toBeUndefined()
    await putPart(c.part_info_list![0]!.upload_url!, Buffer.from('hello '))
    await putPart(c.part_info_list![1]!.upload_url!, Buffer.from('world'))
    const done = await call(s.emu, s.token, '/adrive/v1.0/openFile/complete', {
      drive_id: s.drive,
      file_id: c.file_id,
      upload_id: c.upload_id,
    })
    expect(done.status).toBe(200)
    const f = wireFileSchema.parse(done.body)
    expect(f.size).toBe(11)
    expect(f.content_hash).toBe(sha1Upper(Buffer.from('hello world')))
    expect(f.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect((await s.emu.readFile('resource', '/a.bin')).toString()).toBe('hello world')
    // complete is repeatable
    expect(
      (
        await call(s.emu, s.token, '/adrive/v1.0/openFile/complete', {
          drive_id: s.drive,
          file_id: c.file_id,
          upload_id: c.upload_id,
        })
      ).status,
    ).toBe(200)
  })

  it('400 XML PartNotSequential when part n arrives before n-1; 409 PartAlreadyExist on a re-PUT', async () => {
    const s = await emulator()
    emu = s.emu
    const c = (
      await create(s.emu, s.token, s.drive, { name: 'p.bin', part_info_list: [{ part_number: 1 }, { part_number: 2 }] })
    ).body
    const early = await putPart(c.part_info_list[1].upload_url, Buffer.from('second'))
    expect(early.status).toBe(400)
    expect(await early.text()).toContain('<Code>PartNotSequential</Code>')
    expect((await putPart(c.part_info_list[0].upload_url, Buffer.from('first'))).status).toBe(200)
    const dup = await putPart(c.part_info_list[0].upload_url, Buffer.from('first'))
    expect(dup.status).toBe(409)
    expect(await dup.text()).toContain('PartAlreadyExist')
    expect((await putPart(c.part_info_list[1].upload_url, Buffer.from('second'))).status).toBe(200)
    const done = await call(s.emu, s.token, '/adrive/v1.0/openFile/complete', {
      drive_id: s.drive,
      file_id: c.file_id,
      upload_id: c.upload_id,
    })
    expect(done.body.size).toBe(11)
  })

  it('403 AccessDenied "Request has expired." after uploadUrlTtlSec; getUploadUrl gives fresh URLs (any part ≤ 10000)', async () => {
    let clock = Date.UTC(2025, 0, 1)
    const s = await emulator({ now: () => clock, uploadUrlTtlSec: 60 })
    emu = s.emu
    const c = (await create(s.emu, s.token, s.drive, { name: 'e.bin' })).body
    expect(c.part_info_list).toHaveLength(1) // part_info_list absent → one part
    clock += 61_000
    const expired = await putPart(c.part_info_list[0].upload_url, Buffer.from('x'))
    expect(expired.status).toBe(403)
    const xml = await expired.text()
    expect(xml).toContain('<Code>AccessDenied</Code>')
    expect(xml).toContain('Request has expired.')
    const fresh = await call(s.emu, s.token, '/adrive/v1.0/openFile/getUploadUrl', {
      drive_id: s.drive,
      file_id: c.file_id,
      upload_id: c.upload_id,
      part_info_list: [{ part_number: 1 }, { part_number: 2 }],
    })
    const u = uploadUrlResponseSchema.parse(fresh.body)
    expect(u.part_info_list.map((p) => p.part_number)).toEqual([1, 2])
    expect((await putPart(u.part_info_list[0]!.upload_url!, Buffer.from('x'))).status).toBe(200)
    expect((await putPart(u.part_info_list[1]!.upload_url!, Buffer.from('y'))).status).toBe(200)
    const bad = await call(s.emu, s.token, '/adrive/v1.0/openFile/getUploadUrl', {
      drive_id: s.drive,
      file_id: c.file_id,
      upload_id: c.upload_id,
      part_info_list: [{ part_number: 10001 }],
    })
    expect(bad.status).toBe(400)
  })

  it('403 SignatureDoesNotMatch when a part PUT carries a Content-Type, or the URL was tampered with', async () => {
    const s = await emulator()
    emu = s.emu
    const c = (await create(s.emu, s.token, s.drive, { name: 'ct.bin' })).body
    const url = c.part_info_list[0].upload_url as string
    const withType = await putPart(url, Buffer.from('x'), { 'content-type': 'application/octet-stream' })
    expect(withType.status).toBe(403)
    expect(await withType.text()).toContain('SignatureDoesNotMatch')
    const tampered = url.replace(/partNumber=1/, 'partNumber=2')
    expect((await putPart(tampered, Buffer.from('x'))).status).toBe(403)
    const u = new URL(url)
    u.searchParams.set('x-oss-expires', String(Number(u.searchParams.get('x-oss-expires')) + 3600))
    expect((await putPart(u.toString(), Buffer.from('x'))).status).toBe(403)
    expect((await putPart(url, Buffer.from('x'))).status).toBe(200)
  })

  it('accepts chunked part bodies (no Content-Length), as OpenList streams them', async () => {
    const s = await emulator()
    emu = s.emu
    const c = (await create(s.emu, s.token, s.drive, { name: 'chunked.bin' })).body
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(c.part_info_list[0].upload_url, { method: 'PUT' }, (res) => {
        res.resume()
        resolve(res.statusCode!)
      })
      req.on('error', reject)
      req.write('abc')
      req.write('def')
      req.end()
    })
    expect(status).toBe(200)
    const done = await call(s.emu, s.token, '/adrive/v1.0/openFile/complete', {
      drive_id: s.drive,
      file_id: c.file_id,
      upload_id: c.upload_id,
    })
    expect(done.body.content_hash).toBe(sha1Upper(Buffer.from('abcdef')))
  })

  it('empty files: part_info_list [] gives zero parts; create without size is accepted', async () => {
    const s = await emulator()
    emu = s.emu
    const c = (await create(s.emu, s.token, s.drive, { name: 'empty.txt', part_info_list: [], size: '' })).body
    expect(c.part_info_list).toEqual([])
    const done = await call(s.emu, s.token, '/adrive/v1.0/openFile/complete', {
      drive_id: s.drive,
      file_id: c.file_id,
      upload_id: c.upload_id,
    })
    expect(done.body.size).toBe(0)
    expect(done.body.content_hash).toBe('DA39A3EE5E6B4B0D3255BFEF95601890AFD80709')
  })

  it('complete fails with InvalidParameter.ContentHash when a declared content_hash differs', async () => {
    const s = await emulator()
    emu = s.emu
    const r = await uploadFile(s.emu, s.token, s.drive, 'root', 'h.bin', [Buffer.from('actual')], {
      content_hash: sha1Upper(Buffer.from('declared')),
      content_hash_name: 'sha1',
      size: 6,
    })
    expect(r.status).toBe(400)
    expect(r.body.code).toBe('InvalidParameter.ContentHash')
    expect(s.emu.findByPath('resource', '/h.bin')).toBeUndefined()
    const ok = await uploadFile(s.emu, s.token, s.drive, 'root', 'h2.bin', [Buffer.from('actual')], {
      content_hash: sha1Upper(Buffer.from('actual')).toLowerCase(),
    })
    expect(ok.status).toBe(200)
  })

  it('complete echoes local_created_at/local_modified_at; list reports them null', async () => {
    const s = await emulator()
    emu = s.emu
    const r = await uploadFile(s.emu, s.token, s.drive, 'root', 't.txt', [Buffer.from('t')], {
      local_created_at: '2024-04-20T12:00:01.000Z',
      local_modified_at: '2024-04-21T08:30:00.500Z',
    })
    expect(r.body.local_created_at).toBe('2024-04-20T12:00:01.000Z')
    expect(r.body.local_modified_at).toBe('2024-04-21T08:30:00.500Z')
    const list = await call(s.emu, s.token, '/adrive/v1.0/openFile/list', { drive_id: s.drive, parent_file_id: 'root' })
    expect(list.body.items[0].local_modified_at).toBeNull()
  })

  it('listUploadedParts reports stored parts with camelCase parallelUpload:false', async () => {
    const s = await emulator()
    emu = s.emu
    const c = (
      await create(s.emu, s.token, s.drive, { name: 'l.bin', part_info_list: [{ part_number: 1 }, { part_number: 2 }] })
    ).body
    await putPart(c.part_info_list[0].upload_url, Buffer.from('12345'))
    const r = await call(s.emu, s.token, '/adrive/v1.0/openFile/listUploadedParts', {
      drive_id: s.drive,
      file_id: c.file_id,
      upload_id: c.upload_id,
    })
    expect(r.body.parallelUpload).toBe(false)
    const parsed = uploadedPartsResponseSchema.parse(r.body)
    expect(parsed.uploaded_parts).toEqual([
      { part_number: 1, part_size: 5, etag: expect.stringMatching(/^"[0-9A-F]{32}"$/) },
    ])
    expect(parsed.next_part_number_marker).toBe('')
  })

  it('deleting the reserved file id aborts the upload: its URLs answer 404 NoSuchUpload', async () => {
    const s = await emulator()
    emu = s.emu
    const c = (await create(s.emu, s.token, s.drive, { name: 'abort.bin' })).body
    expect(
      (await call(s.emu, s.token, '/adrive/v1.0/openFile/delete', { drive_id: s.drive, file_id: c.file_id })).status,
    ).toBe(200)
    expect((await putPart(c.part_info_list[0].upload_url, Buffer.from('x'))).status).toBe(404)
    const done = await call(s.emu, s.token, '/adrive/v1.0/openFile/complete', {
      drive_id: s.drive,
      file_id: c.file_id,
      upload_id: c.upload_id,
    })
    expect(done.body.code).toBe('NotFound.UploadId')
  })
})
