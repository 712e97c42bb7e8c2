/** Real bytes against the emulator (docs/contract.md §4 "Upload"; docs/peers-and-pains.md #6, #11, #13, #14, #15, #16). */
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import type { EmulatorHandle } from '../../src/emulator/index.js'
import { ENDPOINTS } from '../../src/api/endpoints.js'
import { isDriverError } from '../../src/errors/index.js'
import type { UploadProgress } from '../../src/host/types.js'
import { fromBuffer, fromFile, fromStream, uploadToFolder } from '../../src/upload/index.js'
import { emuSetup, routeUploadsThrough, startPartProxy, visibleNamed } from '../helpers/emu-upload.js'

const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex')
const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})
async function setup(...args: Parameters<typeof emuSetup>) {
  const s = await emuSetup(...args)
  cleanups.push(() => s.emu.close())
  return s
}
async function expectStored(emu: EmulatorHandle, name: string, data: Uint8Array) {
  const entry = emu.findByPath('resource', `/${name}`)
  expect(entry?.size).toBe(data.byteLength)
  expect(entry?.content_hash?.toLowerCase()).toBe(sha1(data))
  expect(sha1(await emu.readFile('resource', `/${name}`))).toBe(sha1(data))
}

describe('upload against the emulator: sizes and part boundaries', () => {
  const PART = 64 * 1024
  it.each([
    ['0 B', 0],
    ['1 B', 1],
    ['exactly one part', PART],
    ['one part + 1 byte', PART + 1],
    ['several parts', 5 * PART + 123],
  ])('%s', async (_label, size) => {
    const { emu, deps } = await setup()
    deps.partSizeOverride = PART
    const data = randomBytes(size)
    const progress: UploadProgress[] = []
    const file = await uploadToFolder(deps, 'root', fromBuffer(data, 'f.bin'), { onProgress: (p) => progress.push(p) })
    expect(file.size).toBe(size)
    expect(file.content_hash?.toLowerCase()).toBe(sha1(data))
    await expectStored(emu, 'f.bin', data)
    expect(emu.stats().partPuts).toBe(Math.ceil(size / PART))
    const up = progress.filter((p) => p.phase === 'uploading').map((p) => p.loaded)
    expect(up).toEqual([...up].sort((a, b) => a - b))
    expect(progress.at(-1)).toEqual({ phase: 'uploading', loaded: size, total: size })
  })

  it('fromFile: name from the basename, times sent, bytes intact', async () => {
    const { emu, deps } = await setup()
    deps.partSizeOverride = 100 * 1024
    const dir = await mkdtemp(join(tmpdir(), 'ado-up-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const data = randomBytes(350 * 1024)
    await writeFile(join(dir, 'photo.jpg'), data)
    const src = fromFile(join(dir, 'photo.jpg'))
    expect(src.name).toBe('photo.jpg')
    await uploadToFolder(deps, 'root', src)
    await expectStored(emu, 'photo.jpg', data)
  })
})

describe('rapid upload against the emulator', () => {
  const content = randomBytes(300 * 1024)

  it('hit: no part is sent; the file is linked', async () => {
    const { emu, deps, config } = await setup({ seed: [{ path: '/orig.bin', content }] })
    config.rapid_upload = true
    const before = emu.stats().partPuts
    const phases = new Set<string>()
    const file = await uploadToFolder(deps, 'root', fromBuffer(content, 'copy.bin'), {
      onProgress: (p) => phases.add(p.phase),
    })
    expect(emu.stats().partPuts).toBe(before)
    expect(file.size).toBe(content.length)
    expect(phases).toEqual(new Set(['hashing', 'uploading']))
    await expectStored(emu, 'copy.bin', content)
  })

  it('miss: a normal upload', async () => {
    const { emu, deps, config } = await setup()
    config.rapid_upload = true
    deps.partSizeOverride = 128 * 1024
    await uploadToFolder(deps, 'root', fromBuffer(content, 'new.bin'))
    expect(emu.stats().partPuts).toBe(3)
    await expectStored(emu, 'new.bin', content)
  })

  it('fromStream hit: spooled for the proof, the spool is removed', async () => {
    const { emu, deps, config } = await setup({ seed: [{ path: '/orig.bin', content }] })
    config.rapid_upload = true
    const spoolParent = await mkdtemp(join(tmpdir(), 'ado-spool-'))
    cleanups.push(() => rm(spoolParent, { recursive: true, force: true }))
    const src = fromStream(Readable.from(chunksOf(content, 7000)), {
      name: 's.bin',
      size: content.length,
      tmpDir: spoolParent,
    })
    // The proof bytes sit at a token-derived offset past the first KiB: only the spool can serve them.
    await uploadToFolder(deps, 'root', src)
    expect(emu.stats().partPuts).toBe(0)
    await expectStored(emu, 's.bin', content)
    expect(await readdir(spoolParent)).toEqual([])
  })

  it('fromStream miss: no spool at all, bytes intact', async () => {
    const { emu, deps, config } = await setup()
    config.rapid_upload = true
    deps.partSizeOverride = 100 * 1024
    const spoolParent = await mkdtemp(join(tmpdir(), 'ado-spool-'))
    cleanups.push(() => rm(spoolParent, { recursive: true, force: true }))
    const data = randomBytes(250 * 1024)
    await uploadToFolder(
      deps,
      'root',
      fromStream(Readable.from(chunksOf(data, 3000)), { name: 's.bin', size: data.length, tmpDir: spoolParent }),
    )
    await expectStored(emu, 's.bin', data)
    expect(await readdir(spoolParent)).toEqual([])
  })
})

describe('abort while hashing a stream for rapid upload', () => {
  it('ABORTED, and the spool is removed', async () => {
    const content = randomBytes(3 * 1024 * 1024)
    const { deps, config } = await setup({ seed: [{ path: '/orig.bin', content }] })
    config.rapid_upload = true
    const spoolParent = await mkdtemp(join(tmpdir(), 'ado-spool-'))
    cleanups.push(() => rm(spoolParent, { recursive: true, force: true }))
    const ac = new AbortController()
    let spoolSeen = false
    async function* slow() {
      for (const c of chunksOf(content, 256 * 1024)) {
        if (!spoolSeen) spoolSeen = (await readdir(spoolParent)).length > 0
        await new Promise((r) => setTimeout(r, 5))
        yield c
      }
    }
    const src = fromStream(slow(), { name: 's.bin', size: content.length, tmpDir: spoolParent })
    const err = await uploadToFolder(deps, 'root', src, {
      signal: ac.signal,
      onProgress: (p) => {
        if (p.phase === 'hashing' && p.loaded > 1024 * 1024) ac.abort()
      },
    }).catch((e: unknown) => e)
    expect(isDriverError(err) && err.code).toBe('ABORTED')
    expect(spoolSeen).toBe(true)
    expect(await readdir(spoolParent)).toEqual([])
  })
})

describe('part failures against the emulator', () => {
  const PART = 64 * 1024
  const data = randomBytes(4 * PART + 10)

  it('URLs expiring mid-upload: 403 → getUploadUrl → the part again', async () => {
    const { emu, deps, api } = await setup()
    deps.partSizeOverride = PART
    const real = api.call.bind(api)
    let refreshes = 0
    api.call = (async (...args: Parameters<typeof real>) => {
      if (args[0] === ENDPOINTS.getUploadUrl) {
        refreshes++
        emu.setFaults({})
      }
      return real(...args)
    }) as typeof api.call
    await uploadToFolder(deps, 'root', fromBuffer(data, 'f.bin'), {
      onProgress: (p) => {
        if (p.loaded === 2 * PART && refreshes === 0) emu.setFaults({ expireUrlsEarly: true })
      },
    })
    expect(refreshes).toBe(1)
    expect(emu.stats().statuses[403]).toBe(1)
    await expectStored(emu, 'f.bin', data)
  })

  it('a lost answer: the retry gets 409 and counts as stored', async () => {
    const { emu, deps, api } = await setup()
    deps.partSizeOverride = PART
    const proxy = await startPartProxy(emu.apiUrl, (n, attempt) =>
      n === 2 && attempt === 1 ? 'lose-answer' : 'forward',
    )
    cleanups.push(proxy.close)
    routeUploadsThrough(api, emu.apiUrl, proxy.base)
    await uploadToFolder(deps, 'root', fromBuffer(data, 'f.bin'))
    expect(proxy.attempts.get(2)).toBe(2)
    expect(emu.stats().statuses[409]).toBe(1)
    await expectStored(emu, 'f.bin', data)
  })

  it('PartNotSequential: resynchronised from listUploadedParts, the missing part re-sent', async () => {
    const { emu, deps, api } = await setup()
    deps.partSizeOverride = PART
    // Part 2 "succeeds" at the proxy but never reaches the server: part 3 is then out of sequence.
    const proxy = await startPartProxy(emu.apiUrl, (n, attempt) => (n === 2 && attempt === 1 ? 'fake-ok' : 'forward'))
    cleanups.push(proxy.close)
    routeUploadsThrough(api, emu.apiUrl, proxy.base)
    await uploadToFolder(deps, 'root', fromBuffer(data, 'f.bin'))
    expect(proxy.attempts.get(2)).toBe(2)
    expect(emu.stats().calls['/adrive/v1.0/openFile/listUploadedParts']).toBe(1)
    await expectStored(emu, 'f.bin', data)
  })

  it('transient 500s on parts are retried', async () => {
    const { emu, deps } = await setup({ faults: { partFailRate: 0.3, seed: 7 } })
    deps.partSizeOverride = PART
    deps.partRetry = { ...deps.partRetry, retries: 10 }
    await uploadToFolder(deps, 'root', fromBuffer(data, 'f.bin'))
    await expectStored(emu, 'f.bin', data)
  })

  it('abort mid-part: ABORTED promptly, the in-flight PUT destroyed, no PUT after the abort, reservation removed', async () => {
    const { emu, deps, api } = await setup()
    deps.partSizeOverride = 1024 * 1024
    const proxy = await startPartProxy(emu.apiUrl, () => 'forward')
    cleanups.push(proxy.close)
    routeUploadsThrough(api, emu.apiUrl, proxy.base)
    const big = randomBytes(4 * 1024 * 1024)
    const ac = new AbortController()
    const started = Date.now()
    const err = await uploadToFolder(deps, 'root', fromBuffer(big, 'a.bin'), {
      signal: ac.signal,
      onProgress: (p) => {
        // Part 2's bytes are on the wire, its answer not yet in.
        if (p.loaded > 1024 * 1024 && !ac.signal.aborted) ac.abort(new Error('user cancelled'))
      },
    }).catch((e: unknown) => e)
    expect(isDriverError(err) && err.code).toBe('ABORTED')
    expect((err as Error).message).toMatch(/user cancelled/)
    expect(Date.now() - started).toBeLessThan(5_000)
    await new Promise((r) => setTimeout(r, 100))
    expect(proxy.attempts.get(1)).toBe(1)
    expect(proxy.attempts.get(2) ?? 0).toBeLessThanOrEqual(1)
    expect(proxy.attempts.get(3)).toBeUndefined()
    expect(emu.debugTree('resource').filter((e) => e.name === 'a.bin')).toEqual([])
  })

  it('a failing part: UPLOAD_FAILED, reservation removed, no unhandled rejection', async () => {
    const unhandled: unknown[] = []
    const spy = (e: unknown) => unhandled.push(e)
    process.on('unhandledRejection', spy)
    cleanups.push(async () => process.off('unhandledRejection', spy))
    const { emu, deps } = await setup({ faults: { partFailRate: 1 } })
    deps.partSizeOverride = PART
    deps.partRetry = { ...deps.partRetry, retries: 2 }
    const err = await uploadToFolder(deps, 'root', fromBuffer(data, 'f.bin')).catch((e: unknown) => e)
    expect(isDriverError(err) && err.code).toBe('UPLOAD_FAILED')
    expect((err as Error).message).toMatch(/part 1 of 5/)
    await new Promise((r) => setTimeout(r, 100))
    expect(unhandled).toEqual([])
    expect(emu.debugTree('resource').filter((e) => e.name === 'f.bin')).toEqual([])
  })

  it('a stream shorter or longer than declared: UPLOAD_FAILED before complete, naming part and counts', async () => {
    const { emu, deps } = await setup()
    deps.partSizeOverride = PART
    const short = fromStream(Readable.from(chunksOf(data.subarray(0, 3 * PART), 5000)), {
      name: 'short.bin',
      size: data.length,
    })
    await expect(uploadToFolder(deps, 'root', short)).rejects.toMatchObject({
      code: 'UPLOAD_FAILED',
      message: expect.stringMatching(/part 4 of 5.*yielded 0 bytes.*expected 65536/),
    })
    const long = fromStream(Readable.from(chunksOf(Buffer.concat([data, Buffer.from('extra')]), 5000)), {
      name: 'long.bin',
      size: data.length,
    })
    await expect(uploadToFolder(deps, 'root', long)).rejects.toMatchObject({
      code: 'UPLOAD_FAILED',
      message: expect.stringMatching(/after part 5 of 5.*more bytes than its declared size/),
    })
    expect(emu.stats().calls['/adrive/v1.0/openFile/complete'] ?? 0).toBe(0)
    expect(emu.debugTree('resource').filter((e) => e.name.endsWith('.bin'))).toEqual([])
  })
})

describe('name conflicts against the emulator', () => {
  const oldContent = Buffer.from('the previous version')
  const newContent = randomBytes(200 * 1024)

  it('overwrite: new file complete first, then the previous one removed by id', async () => {
    const { emu, deps } = await setup({
      seed: [
        { path: '/f.bin', content: oldContent },
        { path: '/g.bin', content: 'other' },
      ],
    })
    deps.partSizeOverride = 64 * 1024
    const oldId = emu.findByPath('resource', '/f.bin')!.file_id
    const file = await uploadToFolder(deps, 'root', fromBuffer(newContent, 'f.bin'))
    expect(file.file_id).not.toBe(oldId)
    expect(visibleNamed(emu, 'f.bin').map((e) => e.file_id)).toEqual([file.file_id])
    expect(emu.debugTree('resource').find((e) => e.file_id === oldId)?.trashed).toBe(true)
    await expectStored(emu, 'f.bin', newContent)
    expect(emu.findByPath('resource', '/g.bin')).toBeDefined()
  })

  it('overwrite that fails: the previous file is intact and alone', async () => {
    const { emu, deps } = await setup({ seed: [{ path: '/f.bin', content: oldContent }], faults: { partFailRate: 1 } })
    deps.partSizeOverride = 64 * 1024
    deps.partRetry = { ...deps.partRetry, retries: 1 }
    await expect(uploadToFolder(deps, 'root', fromBuffer(newContent, 'f.bin'))).rejects.toMatchObject({
      code: 'UPLOAD_FAILED',
    })
    expect(visibleNamed(emu, 'f.bin')).toHaveLength(1)
    expect((await emu.readFile('resource', '/f.bin')).toString()).toBe(oldContent.toString())
    expect(emu.debugTree('resource').filter((e) => e.name === 'f.bin')).toHaveLength(1)
  })

  it('refuse: ALREADY_EXISTS and no byte sent', async () => {
    const { emu, deps } = await setup({ seed: [{ path: '/f.bin', content: oldContent }] })
    await expect(
      uploadToFolder(deps, 'root', fromBuffer(newContent, 'f.bin'), { conflict: 'refuse' }),
    ).rejects.toMatchObject({ code: 'ALREADY_EXISTS' })
    expect(emu.stats().partPuts).toBe(0)
    expect(emu.stats().calls['/adrive/v1.0/openFile/create'] ?? 0).toBe(0)
  })

  it('rename: the server picks a free name; both files exist', async () => {
    const { emu, deps } = await setup({ seed: [{ path: '/f.bin', content: oldContent }] })
    const file = await uploadToFolder(deps, 'root', fromBuffer(newContent, 'f.bin'), { conflict: 'rename' })
    expect(file.name).not.toBe('f.bin')
    expect(emu.findByPath('resource', '/f.bin')?.size).toBe(oldContent.length)
    await expectStored(emu, file.name!, newContent)
  })
})

function* chunksOf(buf: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size)
}
