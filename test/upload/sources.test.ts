import { mkdtemp, readdir, rm, writeFile, appendFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { fromBuffer, fromFile, fromStream } from '../../src/upload/index.js'
import type { InternalSource } from '../../src/upload/sources/internal-source.js'

const dirs: string[] = []
afterEach(async () => {
  while (dirs.length) await rm(dirs.pop()!, { recursive: true, force: true })
})
async function tempDir() {
  const d = await mkdtemp(join(tmpdir(), 'ado-src-'))
  dirs.push(d)
  return d
}
async function collect(it: AsyncIterable<Uint8Array>) {
  const parts: Uint8Array[] = []
  for await (const c of it) parts.push(c)
  return Buffer.concat(parts)
}
const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 253))

describe('fromBuffer', () => {
  it('reads ranges and is synchronously random-access', async () => {
    const s = fromBuffer(bytes, 'b.bin') as InternalSource
    expect(s.size).toBe(5000)
    expect(await collect(s.read(10, 20))).toEqual(bytes.subarray(10, 20))
    expect(s.readSync(4990, 5000)).toEqual(bytes.subarray(4990))
    expect(fromBuffer('héllo', 't.txt').size).toBe(6)
  })
})

describe('fromFile', () => {
  it('name from the basename, size and times from stat, ranges by offset', async () => {
    const dir = await tempDir()
    const path = join(dir, 'a.dat')
    await writeFile(path, bytes)
    const s = fromFile(path) as InternalSource
    expect(s.name).toBe('a.dat')
    expect(s.size).toBe(5000)
    expect(s.modified).toBeInstanceOf(Date)
    expect(await collect(s.read(4000, 4100))).toEqual(bytes.subarray(4000, 4100))
    await s.prepareRandomAccess()
    expect(s.readSync(1, 3)).toEqual(bytes.subarray(1, 3))
    await s.dispose?.()
    await s.dispose?.()
    // Reopened on demand after dispose (a host may retry with the same source).
    expect(await collect(s.read(0, 3))).toEqual(bytes.subarray(0, 3))
    await s.dispose?.()
    expect(fromFile(path, { name: 'other.bin' }).name).toBe('other.bin')
  })
  it('a file changed while uploading fails verifyEnd', async () => {
    const dir = await tempDir()
    const path = join(dir, 'a.dat')
    await writeFile(path, bytes)
    const s = fromFile(path) as InternalSource
    await collect(s.read(0, 5000))
    await appendFile(path, 'more')
    await expect(s.verifyEnd!()).rejects.toMatchObject({
      code: 'UPLOAD_FAILED',
      message: expect.stringMatching(/changed/),
    })
    await s.dispose?.()
  })
})

describe('fromStream', () => {
  it('serves the first KiB twice (pre-hash, then part 1) without spooling; straddling chunks are split', async () => {
    const dir = await tempDir()
    const s = fromStream(Readable.from([bytes.subarray(0, 3000), bytes.subarray(3000)]), {
      name: 's',
      size: 5000,
      tmpDir: dir,
    }) as InternalSource
    expect(await collect(s.read(0, 1024))).toEqual(bytes.subarray(0, 1024))
    expect(await collect(s.read(0, 2000))).toEqual(bytes.subarray(0, 2000))
    expect(await collect(s.read(2000, 5000))).toEqual(bytes.subarray(2000))
    await s.verifyEnd!()
    expect(await readdir(dir)).toEqual([])
    await expect(collect(s.read(1500, 1600))).rejects.toMatchObject({
      code: 'UPLOAD_FAILED',
      message: expect.stringMatching(/not seekable/),
    })
    await s.dispose?.()
  })
  it('prepareRandomAccess spools everything (head included), hashes in one pass, and dispose removes it', async () => {
    const dir = await tempDir()
    const s = fromStream(Readable.from([bytes.subarray(0, 700), bytes.subarray(700, 4000), bytes.subarray(4000)]), {
      name: 's',
      size: 5000,
      tmpDir: dir,
    }) as InternalSource
    await collect(s.read(0, 1024))
    const seen: Uint8Array[] = []
    expect(await s.prepareRandomAccess(undefined, (c) => seen.push(c))).toBe(true)
    expect(Buffer.concat(seen)).toEqual(bytes)
    expect((await readdir(dir)).length).toBe(1)
    expect(s.readSync(4990, 5000)).toEqual(bytes.subarray(4990))
    expect(await collect(s.read(100, 4500))).toEqual(bytes.subarray(100, 4500))
    await s.dispose?.()
    expect(await readdir(dir)).toEqual([])
  })
  it('cannot spool once consumed past the first KiB', async () => {
    const s = fromStream(Readable.from([bytes.subarray(0, 2000), bytes.subarray(2000)]), {
      name: 's',
      size: 5000,
    }) as InternalSource
    await collect(s.read(0, 3000))
    await expect(s.prepareRandomAccess()).rejects.toMatchObject({ code: 'UPLOAD_FAILED' })
    await s.dispose?.()
  })
  it('a wrong declared size is reported by spooling and by verifyEnd', async () => {
    const dir = await tempDir()
    const short = fromStream(Readable.from([bytes]), { name: 's', size: 6000, tmpDir: dir }) as InternalSource
    await expect(short.prepareRandomAccess()).rejects.toMatchObject({
      message: expect.stringMatching(/yielded 5000 bytes but its declared size is 6000/),
    })
    await short.dispose?.()
    const long = fromStream(Readable.from([bytes]), { name: 's', size: 4000 }) as InternalSource
    await collect(long.read(0, 4000))
    await expect(long.verifyEnd!()).rejects.toMatchObject({
      message: expect.stringMatching(/more bytes than its declared size of 4000/),
    })
    await long.dispose?.()
    expect(await readdir(dir)).toEqual([])
  })
})

describe('fromFile errors', () => {
  it('a missing file is NOT_FOUND, a directory UPLOAD_FAILED', async () => {
    const dir = await tempDir()
    expect(() => fromFile(join(dir, 'nope'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
    expect(() => fromFile(dir)).toThrow(expect.objectContaining({ code: 'UPLOAD_FAILED' }))
  })
})
