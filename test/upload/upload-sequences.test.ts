/**
 * Exact request sequences of an upload, against nock (docs/api-notes.md §6): what is sent, in which order, and what happens on
 * each kind of part failure. Real bytes against the emulator are in emulator-upload.test.ts.
 */
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import nock from 'nock'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { isDriverError } from '../../src/errors/index.js'
import { fromBuffer, proofCodeOf, uploadToFolder } from '../../src/upload/index.js'
import type { UploadSource } from '../../src/host/types.js'
import {
  API,
  DRIVE,
  OSS,
  P,
  completedFile,
  createReply,
  nockDeps,
  ossXml,
  partUrl,
  stubTokens,
} from '../helpers/nock-upload.js'

/** A part PUT's body as nock recorded it: text (decoded JSON would not be a part's bytes). */
const bodyText = (body: nock.Body): string => (typeof body === 'string' ? body : JSON.stringify(body))

const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex')
const text = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => 97 + (i % 26)))

beforeAll(() => {
  nock.disableNetConnect()
  nock.enableNetConnect('127.0.0.1')
})
afterEach(() => {
  nock.cleanAll()
})

describe('upload request sequence (nock)', () => {
  it('create → parts in order without Content-Type, with Content-Length → complete; previous holder removed by id afterwards', async () => {
    const data = text(25)
    const order: string[] = []
    const { deps, removed } = nockDeps({
      partSize: 10,
      children: [
        {
          drive_id: DRIVE,
          file_id: 'OLD',
          parent_file_id: 'P',
          name: 'f.bin',
          type: 'file',
          size: 3,
          content_hash: 'A'.repeat(40),
        },
        { drive_id: DRIVE, file_id: 'OTHER', parent_file_id: 'P', name: 'g.bin', type: 'file', size: 3 },
      ],
    })
    const api = nock(API)
      .post(P('create'), (b) => {
        order.push('create')
        return (
          b.drive_id === DRIVE &&
          b.parent_file_id === 'P' &&
          b.name === 'f.bin' &&
          b.type === 'file' &&
          b.check_name_mode === 'ignore' &&
          JSON.stringify(b.part_info_list) ===
            JSON.stringify([{ part_number: 1 }, { part_number: 2 }, { part_number: 3 }]) &&
          b.pre_hash === undefined &&
          b.size === undefined
        )
      })
      .reply(200, createReply('F1', 3))
      .post(
        P('complete'),
        (b) => (order.push('complete'), b.file_id === 'F1' && b.upload_id === 'U1' && b.drive_id === DRIVE),
      )
      .reply(200, completedFile('F1', 25, sha1(data).toUpperCase()))
    const bodies: string[] = []
    const oss = nock(OSS, { badheaders: ['content-type'] })
    for (const n of [1, 2, 3]) {
      oss
        .put('/up/F1')
        .query((q) => q.partNumber === String(n))
        .matchHeader('content-length', String(n < 3 ? 10 : 5))
        .reply(200, (_uri, body) => {
          order.push(`put${n}`)
          bodies.push(bodyText(body))
          return ''
        })
    }
    const file = await uploadToFolder(deps, 'P', fromBuffer(data, 'f.bin'))
    expect(file.file_id).toBe('F1')
    expect(order).toEqual(['create', 'put1', 'put2', 'put3', 'complete'])
    expect(bodies.join('')).toBe(data.toString())
    expect(removed).toEqual(['OLD'])
    api.done()
    oss.done()
  })

  it('0 B: part_info_list is [], no PUT, complete', async () => {
    const { deps } = nockDeps()
    const api = nock(API)
      .post(P('create'), (b) => Array.isArray(b.part_info_list) && b.part_info_list.length === 0)
      .reply(200, createReply('F0', 0, { part_info_list: [] }))
      .post(P('complete'))
      .reply(200, completedFile('F0', 0, sha1(Buffer.alloc(0)).toUpperCase(), 'empty'))
    const progress: unknown[] = []
    const file = await uploadToFolder(deps, 'root', fromBuffer(Buffer.alloc(0), 'empty'), {
      onProgress: (p) => progress.push(p),
    })
    expect(file.size).toBe(0)
    expect(progress).toEqual([{ phase: 'uploading', loaded: 0, total: 0 }])
    api.done()
  })

  it('a lost answer then 409 on the retry counts as stored', async () => {
    const data = text(15)
    const { deps } = nockDeps({ partSize: 10 })
    nock(API)
      .post(P('create'))
      .reply(200, createReply('F2', 2))
      .post(P('complete'))
      .reply(200, completedFile('F2', 15, sha1(data)))
    const oss = nock(OSS)
      .put('/up/F2')
      .query((q) => q.partNumber === '1')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .put('/up/F2')
      .query((q) => q.partNumber === '1')
      .reply(409, ossXml('PartAlreadyExist', 'Part already exists.'))
      .put('/up/F2')
      .query((q) => q.partNumber === '2')
      .reply(200, '')
    const file = await uploadToFolder(deps, 'root', fromBuffer(data, 'f.bin'))
    expect(file.file_id).toBe('F2')
    oss.done()
  })

  it('403 "Request has expired" → getUploadUrl → same part again on the fresh URL', async () => {
    const data = text(12)
    const { deps } = nockDeps({ partSize: 10 })
    const api = nock(API)
      .post(P('create'))
      .reply(200, createReply('F3', 2))
      .post(
        P('getUploadUrl'),
        (b) => b.file_id === 'F3' && b.upload_id === 'U1' && b.part_info_list[0].part_number === 2,
      )
      .reply(200, {
        file_id: 'F3',
        upload_id: 'U1',
        part_info_list: [
          {
            part_number: 2,
            upload_url: `${OSS}/fresh/F3?partNumber=2&x-oss-expires=${Math.floor(Date.now() / 1000) + 3600}`,
          },
        ],
      })
      .post(P('complete'))
      .reply(200, completedFile('F3', 12, sha1(data)))
    const oss = nock(OSS)
      .put('/up/F3')
      .query((q) => q.partNumber === '1')
      .reply(200, '')
      .put('/up/F3')
      .query((q) => q.partNumber === '2')
      .reply(403, ossXml('AccessDenied', 'Request has expired.'))
      .put('/fresh/F3')
      .query(true)
      .reply(200, (_u, body) => (expect(bodyText(body)).toBe(data.subarray(10).toString()), ''))
    await uploadToFolder(deps, 'root', fromBuffer(data, 'f.bin'))
    api.done()
    oss.done()
  })

  it('refreshes a URL that is about to expire before starting the part (x-oss-expires)', async () => {
    const data = text(5)
    const { deps } = nockDeps()
    const soon = Math.floor(Date.now() / 1000) + 5
    const api = nock(API)
      .post(P('create'))
      .reply(200, createReply('F4', 1, { part_info_list: [{ part_number: 1, upload_url: partUrl('F4', 1, soon) }] }))
      .post(P('getUploadUrl'))
      .reply(200, {
        part_info_list: [{ part_number: 1, upload_url: `${OSS}/renewed/F4?x-oss-expires=${soon + 3600}` }],
      })
      .post(P('complete'))
      .reply(200, completedFile('F4', 5, sha1(data)))
    const oss = nock(OSS).put('/renewed/F4').query(true).reply(200, '')
    await uploadToFolder(deps, 'root', fromBuffer(data, 'f.bin'))
    api.done()
    oss.done()
  })

  it('400 PartNotSequential → listUploadedParts → continues from the server view', async () => {
    const data = text(30)
    const { deps } = nockDeps({ partSize: 10 })
    const api = nock(API)
      .post(P('create'))
      .reply(200, createReply('F5', 3))
      .post(P('listUploadedParts'), (b) => b.upload_id === 'U1')
      .reply(200, { upload_id: 'U1', uploaded_parts: [], next_part_number_marker: '' })
      .post(P('complete'))
      .reply(200, completedFile('F5', 30, sha1(data)))
    const sent: string[] = []
    const oss = nock(OSS)
      // The server lost part 1 (say, a previous attempt was rolled back): part 2 is refused as out of order.
      .put('/up/F5')
      .query((q) => q.partNumber === '1')
      .reply(200, () => (sent.push('1'), ''))
      .put('/up/F5')
      .query((q) => q.partNumber === '2')
      .reply(400, ossXml('PartNotSequential', 'Part 2 arrived before part 1.'))
      .put('/up/F5')
      .query((q) => q.partNumber === '1')
      .reply(200, () => (sent.push('1 again'), ''))
      .put('/up/F5')
      .query((q) => q.partNumber === '2')
      .reply(200, () => (sent.push('2'), ''))
      .put('/up/F5')
      .query((q) => q.partNumber === '3')
      .reply(200, () => (sent.push('3'), ''))
    await uploadToFolder(deps, 'root', fromBuffer(data, 'f.bin'))
    expect(sent).toEqual(['1', '1 again', '2', '3'])
    api.done()
    oss.done()
  })

  it('PartNotSequential where the server already has later parts: skips them without sending', async () => {
    const data = text(30)
    const { deps } = nockDeps({ partSize: 10 })
    nock(API)
      .post(P('create'))
      .reply(200, createReply('F5b', 3))
      .post(P('listUploadedParts'))
      .reply(200, { uploaded_parts: [{ part_number: 1 }, { part_number: 2 }], next_part_number_marker: '' })
      .post(P('complete'))
      .reply(200, completedFile('F5b', 30, sha1(data)))
    const oss = nock(OSS)
      .put('/up/F5b')
      .query((q) => q.partNumber === '1')
      .reply(400, ossXml('PartNotSequential', 'odd'))
      .put('/up/F5b')
      .query((q) => q.partNumber === '3')
      .reply(200, '')
    await uploadToFolder(deps, 'root', fromBuffer(data, 'f.bin'))
    oss.done()
  })

  it('5xx on every attempt → UPLOAD_FAILED naming the part; reservation deleted; no unhandled rejection', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (e: unknown) => unhandled.push(e)
    process.on('unhandledRejection', onUnhandled)
    try {
      const data = text(25)
      const { deps } = nockDeps({ partSize: 10 })
      const api = nock(API)
        .post(P('create'))
        .reply(200, createReply('F6', 3))
        .post(P('delete'), (b) => b.file_id === 'F6' && b.drive_id === DRIVE)
        .reply(200, { file_id: 'F6' })
      const oss = nock(OSS)
        .put('/up/F6')
        .query((q) => q.partNumber === '1')
        .reply(200, '')
        .put('/up/F6')
        .query((q) => q.partNumber === '2')
        .times(5)
        .reply(503, ossXml('ServiceUnavailable', 'busy'))
      const err = await uploadToFolder(deps, 'root', fromBuffer(data, 'f.bin')).catch((e: unknown) => e)
      expect(isDriverError(err) && err.code).toBe('UPLOAD_FAILED')
      expect((err as Error).message).toMatch(/part 2 of 3/)
      expect((err as Error).message).toMatch(/503/)
      api.done()
      oss.done()
      await new Promise((r) => setTimeout(r, 50))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  it('a source shorter than declared fails before complete, naming the part and the counts', async () => {
    const short: UploadSource = {
      name: 'short.bin',
      size: 25,
      async *read(start, end) {
        const avail = Math.min(end, 22)
        if (avail > start) yield text(25).subarray(start, avail)
      },
    }
    const { deps } = nockDeps({ partSize: 10 })
    const api = nock(API).post(P('create')).reply(200, createReply('F7', 3)).post(P('delete')).reply(200, {})
    const oss = nock(OSS).put('/up/F7').query(true).times(2).reply(200, '')
    const err = await uploadToFolder(deps, 'root', short).catch((e: unknown) => e)
    expect(isDriverError(err) && err.code).toBe('UPLOAD_FAILED')
    expect((err as Error).message).toMatch(/part 3 of 3.*yielded 2 bytes.*expected 5/)
    api.done()
    oss.done()
  })

  it('complete reporting another size → UPLOAD_FAILED and the new file is deleted (previous kept)', async () => {
    const data = text(8)
    const { deps, removed } = nockDeps({
      children: [{ drive_id: DRIVE, file_id: 'OLD', name: 'f.bin', type: 'file', size: 1 }],
    })
    const api = nock(API)
      .post(P('create'))
      .reply(200, createReply('F8', 1))
      .post(P('complete'))
      .reply(200, completedFile('F8', 7, sha1(data)))
      .post(P('delete'), (b) => b.file_id === 'F8')
      .reply(200, {})
    nock(OSS).put('/up/F8').query(true).reply(200, '')
    const err = await uploadToFolder(deps, 'root', fromBuffer(data, 'f.bin')).catch((e: unknown) => e)
    expect(isDriverError(err) && err.code).toBe('UPLOAD_FAILED')
    expect((err as Error).message).toMatch(/7 bytes/)
    expect(removed).toEqual([])
    api.done()
  })

  it('complete reporting another SHA-1 → UPLOAD_FAILED', async () => {
    const data = text(8)
    const { deps } = nockDeps()
    nock(API)
      .post(P('create'))
      .reply(200, createReply('F9', 1))
      .post(P('complete'))
      .reply(200, completedFile('F9', 8, 'AB'.repeat(20)))
      .post(P('delete'))
      .reply(200, {})
    nock(OSS).put('/up/F9').query(true).reply(200, '')
    await expect(uploadToFolder(deps, 'root', fromBuffer(data, 'f.bin'))).rejects.toMatchObject({
      code: 'UPLOAD_FAILED',
      message: expect.stringMatching(/SHA-1/),
    })
  })

  it('internal_upload sends parts to the intranet endpoint over http', async () => {
    const data = text(4)
    const { deps } = nockDeps({ internal: true })
    const url = `https://cn-beijing-data.aliyundrive.net/abcdefgh%2F${DRIVE}%2FF10%2Frev?partNumber=1&uploadId=U&x-oss-expires=${Math.floor(Date.now() / 1000) + 3600}`
    nock(API)
      .post(P('create'))
      .reply(200, createReply('F10', 1, { part_info_list: [{ part_number: 1, upload_url: url }] }))
      .post(P('complete'))
      .reply(200, completedFile('F10', 4, sha1(data)))
    const intranet = nock('http://ccp-bj29-bj-1592982087.oss-cn-beijing-internal.aliyuncs.com')
      .put(/abcdefgh/)
      .query(true)
      .reply(200, '')
    await uploadToFolder(deps, 'root', fromBuffer(data, 'f.bin'))
    intranet.done()
  })

  it("conflict 'refuse': ALREADY_EXISTS before anything is created; 'rename': auto_rename without listing", async () => {
    const { deps, listed } = nockDeps({
      children: [{ drive_id: DRIVE, file_id: 'OLD', name: 'f.bin', type: 'file', size: 1 }],
    })
    await expect(uploadToFolder(deps, 'root', fromBuffer('x', 'f.bin'), { conflict: 'refuse' })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    })
    expect(listed).toEqual(['root'])
    const data = Buffer.from('x')
    nock(API)
      .post(P('create'), (b) => b.check_name_mode === 'auto_rename')
      .reply(200, createReply('F11', 1))
      .post(P('complete'))
      .reply(200, completedFile('F11', 1, sha1(data), 'f(1).bin'))
    nock(OSS).put('/up/F11').query(true).reply(200, '')
    const file = await uploadToFolder(deps, 'root', fromBuffer(data, 'f.bin'), { conflict: 'rename' })
    expect(file.name).toBe('f(1).bin')
    expect(listed).toEqual(['root'])
  })

  it("'refuse' that loses a race (create answers exist:true) leaves the other file alone", async () => {
    const { deps } = nockDeps()
    const scope = nock(API)
      .post(P('create'), (b) => b.check_name_mode === 'refuse')
      .reply(200, createReply('THEIRS', 1, { exist: true }))
    await expect(uploadToFolder(deps, 'root', fromBuffer('x', 'f.bin'), { conflict: 'refuse' })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    })
    scope.done() // and no delete call was mocked: nock would have failed a request to it
  })
})

describe('rapid upload sequence (nock, docs/api-notes.md §6.5–6.6)', () => {
  const big = Buffer.from(Array.from({ length: 200 * 1024 }, (_, i) => (i * 7) % 251))
  const bigSha1 = sha1(big)

  it('PreHashMatched → second create with content hash and proof for the sending token → complete, no part PUT', async () => {
    const tokens = stubTokens('tok-A', 'tok-B')
    const { deps } = nockDeps({ rapid: true, tokens })
    const bodies: Array<Record<string, unknown>> = []
    const api = nock(API)
      .post(
        P('create'),
        (b) => (
          bodies.push(b),
          b.pre_hash === sha1(big.subarray(0, 1024)) && b.size === big.length && b.content_hash === undefined
        ),
      )
      .reply(409, { code: 'PreHashMatched', message: 'Pre hash matched.', requestId: 'r' })
      // The first full create meets an expired token; the repeat must carry a proof for the new token.
      .post(P('create'), (b) => (bodies.push(b), b.content_hash !== undefined))
      .reply(401, { code: 'AccessTokenExpired', message: 'expired' })
      .post(P('create'), (b) => (bodies.push(b), b.content_hash !== undefined))
      .reply(200, createReply('R1', 1, { rapid_upload: true, part_info_list: [] }))
      .post(P('complete'), (b) => b.file_id === 'R1' && b.upload_id === 'U1')
      .reply(200, completedFile('R1', big.length, bigSha1.toUpperCase()))
    const progress: Array<{ phase: string; loaded: number; total: number }> = []
    const file = await uploadToFolder(deps, 'root', fromBuffer(big, 'f.bin'), { onProgress: (p) => progress.push(p) })
    expect(file.file_id).toBe('R1')
    const [, withA, withB] = bodies
    for (const b of [withA!, withB!]) {
      expect(b).toMatchObject({
        content_hash: bigSha1,
        content_hash_name: 'sha1',
        proof_version: 'v1',
        size: big.length,
      })
      expect(b.pre_hash).toBeUndefined()
    }
    expect(withA!.proof_code).toBe(proofCodeOf('tok-A', big))
    expect(withB!.proof_code).toBe(proofCodeOf('tok-B', big))
    expect(tokens.refreshes).toBe(1)
    const hashing = progress.filter((p) => p.phase === 'hashing')
    expect(hashing.at(-1)).toEqual({ phase: 'hashing', loaded: big.length, total: big.length })
    expect(progress.at(-1)).toEqual({ phase: 'uploading', loaded: big.length, total: big.length })
    api.done()
  })

  it('no pre-hash match: a normal upload, the file is read once for the parts (no hashing pass)', async () => {
    const { deps } = nockDeps({ rapid: true })
    let reads = 0
    const inner = fromBuffer(big, 'f.bin')
    const counting: UploadSource = {
      name: 'f.bin',
      size: big.length,
      read: (s, e, sig) => ((reads += e - s), inner.read(s, e, sig)),
    }
    nock(API)
      .post(P('create'), (b) => typeof b.pre_hash === 'string' && b.size === big.length)
      .reply(200, createReply('R2', 1))
      .post(P('complete'))
      .reply(200, completedFile('R2', big.length, bigSha1))
    nock(OSS).put('/up/R2').query(true).reply(200, '')
    const progress: string[] = []
    await uploadToFolder(deps, 'root', counting, { onProgress: (p) => progress.push(p.phase) })
    expect(reads).toBe(1024 + big.length)
    expect(progress).not.toContain('hashing')
  })

  it('files of 100 KiB or less never carry a pre_hash', async () => {
    const { deps } = nockDeps({ rapid: true })
    const small = big.subarray(0, 100 * 1024)
    nock(API)
      .post(P('create'), (b) => b.pre_hash === undefined && b.size === undefined)
      .reply(200, createReply('R3', 1))
      .post(P('complete'))
      .reply(200, completedFile('R3', small.length, sha1(small)))
    nock(OSS).put('/up/R3').query(true).reply(200, '')
    await uploadToFolder(deps, 'root', fromBuffer(small, 'f.bin'))
  })

  it('a given sha1 skips hashing', async () => {
    const { deps } = nockDeps({ rapid: true })
    nock(API)
      .post(P('create'), (b) => b.pre_hash !== undefined)
      .reply(400, { code: 'PreHashMatched', message: 'm' })
      .post(P('create'), (b) => b.content_hash === bigSha1)
      .reply(200, createReply('R4', 1, { rapid_upload: true, part_info_list: [] }))
      .post(P('complete'))
      .reply(200, completedFile('R4', big.length, bigSha1.toUpperCase()))
    const phases: string[] = []
    await uploadToFolder(deps, 'root', fromBuffer(big, 'f.bin', { sha1: bigSha1.toUpperCase() }), {
      onProgress: (p) => phases.push(p.phase),
    })
    expect(phases.filter((p) => p === 'hashing').length).toBeLessThanOrEqual(1)
  })
})

describe('parts too big to hold in memory (> 128 MiB, files over 1 TiB)', () => {
  it('are streamed from the source; a non-seekable source is spooled so a retry can re-read; the spool is removed', async () => {
    const fsp = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const { Readable } = await import('node:stream')
    const { fromStream } = await import('../../src/upload/index.js')
    const dir = await fsp.mkdtemp(join(tmpdir(), 'ado-huge-'))
    try {
      const data = text(3000)
      // A 200 MiB part size forces the streaming path with a small file.
      const { deps } = nockDeps({ partSize: 200 * 1024 * 1024 })
      nock(API)
        .post(P('create'))
        .reply(200, createReply('H1', 1))
        .post(P('complete'))
        .reply(200, completedFile('H1', 3000, sha1(data)))
      const bodies: string[] = []
      nock(OSS)
        .put('/up/H1')
        .query(true)
        .reply(503, (_u, b) => (bodies.push(bodyText(b)), ossXml('ServiceUnavailable', 'busy')))
        .put('/up/H1')
        .query(true)
        .reply(200, (_u, b) => (bodies.push(bodyText(b)), ''))
      const src = fromStream(Readable.from([data.subarray(0, 1000), data.subarray(1000)]), {
        name: 'f.bin',
        size: 3000,
        tmpDir: dir,
      })
      await uploadToFolder(deps, 'root', src)
      expect(bodies).toEqual([data.toString(), data.toString()])
      expect(await fsp.readdir(dir)).toEqual([])
    } finally {
      await fsp.rm(dir, { recursive: true, force: true })
    }
  })
})
