/**
 * The conformance suite: the whole driver contract (docs/contract.md §2–§4), written once and run against any backend that
 * speaks the AliyunDrive Open API — the emulator always, a live account when credentials are given. Backend-specific
 * knobs (expiring tokens on demand, reading server stats, seeded folders) come in as optional hooks, so the same
 * assertions hold everywhere. Everything happens inside one scratch folder that is removed at the end.
 */
import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AliyundriveOpen } from '../../src/driver/aliyundrive-open.js'
import type { Obj } from '../../src/host/types.js'
import { fromBuffer } from '../../src/upload/index.js'

export interface ConformanceBackend {
  name: string
  /** A driver on the backend; `overrides` are addition keys (e.g. remove_way). */
  makeDriver(overrides?: Record<string, unknown>): Promise<AliyundriveOpen>
  /** A folder (mount path) holding more than 200 entries, if the backend has one ready. */
  bigFolderPath?: string
  /** A video file (mount path) with transcoding info. */
  videoPath?: string
  /** A .livp file (mount path). */
  livpPath?: string
  /** Makes every current access token expired (emulator only). */
  expireAccessTokens?(): void
  /** Number of 429 answers the backend has sent so far (emulator only). */
  rateLimitedCount?(): number
}

const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex')

async function download(url: string, headers: Record<string, string> = {}): Promise<Buffer> {
  const res = await fetch(url, { headers })
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}`)
  return Buffer.from(await res.arrayBuffer())
}

export function conformanceSuite(backend: ConformanceBackend): void {
  describe(`conformance: ${backend.name}`, () => {
    let driver: AliyundriveOpen
    let scratch: Obj
    const names = new Set<string>()
    const unique = (base: string) => {
      const name = `${base}-${names.size}`
      names.add(name)
      return name
    }
    const put = async (dir: Obj, name: string, bytes: Uint8Array) => driver.upload(dir, fromBuffer(bytes, name), { conflict: 'refuse' })

    beforeAll(async () => {
      driver = await backend.makeDriver()
      await driver.init()
      scratch = await driver.makeDir(driver.getRoot(), `conformance-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`)
    })

    afterAll(async () => {
      if (scratch) await driver.remove(scratch).catch(() => undefined)
      await driver?.drop()
    })

    it('get resolves files and folders by path, NOT_FOUND otherwise', async () => {
      const dir = await driver.makeDir(scratch, unique('get'))
      const f = await put(dir, 'a.txt', Buffer.from('hello'))
      expect(await driver.get(dir.path)).toMatchObject({ id: dir.id, isFolder: true })
      expect(await driver.get(`${dir.path}/a.txt`)).toMatchObject({ id: f.id, size: 5, isFolder: false, hashes: { sha1: sha1(Buffer.from('hello')) } })
      await expect(driver.get(`${dir.path}/missing.txt`)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    })

    it('upload, list and link + download of the bytes', async () => {
      const dir = await driver.makeDir(scratch, unique('bytes'))
      const bytes = randomBytes(300_000)
      const f = await put(dir, '数据 file.bin', bytes)
      expect(f).toMatchObject({ name: '数据 file.bin', path: `${dir.path}/数据 file.bin`, size: bytes.length, hashes: { sha1: sha1(bytes) } })
      const listed = await driver.list(dir)
      expect(listed.map((o) => o.name)).toEqual(['数据 file.bin'])
      const link = await driver.link(f)
      expect(link.expiresAt!.getTime()).toBeGreaterThan(Date.now())
      expect(sha1(await download(link.url, link.headers))).toBe(sha1(bytes))
    })

    it('makeDir is mkdir -p: the same folder comes back', async () => {
      const name = unique('mk')
      const a = await driver.makeDir(scratch, name)
      const b = await driver.makeDir(scratch, name)
      expect(b.id).toBe(a.id)
      expect((await driver.list(scratch)).filter((o) => o.name === name)).toHaveLength(1)
    })

    it('rename with each conflict mode', async () => {
      const dir = await driver.makeDir(scratch, unique('rename'))
      const a = await put(dir, 'a.txt', Buffer.from('A'))
      const b = await put(dir, 'b.txt', Buffer.from('B'))
      await expect(driver.rename(a, 'b.txt')).rejects.toMatchObject({ code: 'ALREADY_EXISTS' })
      const renamed = await driver.rename(a, 'b.txt', { conflict: 'rename' })
      expect(renamed.name).not.toBe('b.txt')
      const over = await driver.rename(renamed, 'b.txt', { conflict: 'overwrite' })
      expect(over).toMatchObject({ id: a.id, name: 'b.txt' })
      const after = await driver.list(dir)
      expect(after.map((o) => o.id)).toEqual([a.id])
      expect(after.find((o) => o.id === b.id)).toBeUndefined()
    })

    it('move with each conflict mode (a taken name is refused without moving)', async () => {
      const src = await driver.makeDir(scratch, unique('move-src'))
      const dst = await driver.makeDir(scratch, unique('move-dst'))
      const x = await put(src, 'x.txt', Buffer.from('x1'))
      const holder = await put(dst, 'x.txt', Buffer.from('x0'))
      await expect(driver.move(x, dst)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' })
      expect((await driver.list(src)).map((o) => o.id)).toEqual([x.id])
      const moved = await driver.move(x, dst, { conflict: 'overwrite' })
      expect(moved).toMatchObject({ id: x.id, path: `${dst.path}/x.txt` })
      expect((await driver.list(dst)).map((o) => o.id)).toEqual([x.id])
      expect(holder.id).not.toBe(x.id)
      const y = await put(src, 'x.txt', Buffer.from('x2'))
      const renamedMove = await driver.move(y, dst, { conflict: 'rename' })
      expect(renamedMove.name).not.toBe('x.txt')
      expect((await driver.list(dst))).toHaveLength(2)
    })

    it('copy a file and a whole folder with each conflict mode', async () => {
      const src = await driver.makeDir(scratch, unique('copy-src'))
      const inner = await driver.makeDir(src, 'inner')
      const bytes = randomBytes(1000)
      await put(inner, 'deep.bin', bytes)
      const dst = await driver.makeDir(scratch, unique('copy-dst'))
      const copied = await driver.copy(inner, dst)
      expect(copied).toMatchObject({ path: `${dst.path}/inner`, isFolder: true })
      expect(copied.id).not.toBe(inner.id)
      const deep = await driver.list(copied)
      expect(deep.map((o) => [o.name, o.hashes.sha1])).toEqual([['deep.bin', sha1(bytes)]])
      await expect(driver.copy(inner, dst)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' })
      const second = await driver.copy(inner, dst, { conflict: 'rename' })
      expect(second.name).not.toBe('inner')
      const replaced = await driver.copy(inner, dst, { conflict: 'overwrite' })
      const names = (await driver.list(dst)).map((o) => o.name).sort()
      expect(names).toEqual([second.name, 'inner'].sort())
      expect((await driver.list(dst)).find((o) => o.name === 'inner')?.id).toBe(replaced.id)
      // the source is untouched
      expect((await driver.list(inner)).map((o) => o.name)).toEqual(['deep.bin'])
    })

    it('remove: trash (default) and delete both make it disappear', async () => {
      const dir = await driver.makeDir(scratch, unique('remove'))
      const t = await put(dir, 't.txt', Buffer.from('t'))
      await driver.remove(t)
      await expect(driver.get(t.path)).rejects.toMatchObject({ code: 'NOT_FOUND' })
      const deleter = await backend.makeDriver({ remove_way: 'delete' })
      try {
        const d = await put(dir, 'd.txt', Buffer.from('d'))
        const seen = await deleter.get(d.path)
        await deleter.remove(seen)
        expect(await driver.list(dir)).toEqual([])
      } finally {
        await deleter.drop()
      }
    })

    it('details reports space in bytes', async () => {
      const d = await driver.details()
      expect(d.totalSpace).toBeGreaterThan(0)
      expect(d.usedSpace).toBeGreaterThanOrEqual(0)
      expect(d.usedSpace).toBeLessThanOrEqual(d.totalSpace)
    })

    it.runIf(backend.bigFolderPath)('lists every entry of a folder with more than 200 (all pages)', async () => {
      const dir = await driver.get(backend.bigFolderPath!)
      const all = await driver.list(dir)
      expect(all.length).toBeGreaterThan(200)
      expect(new Set(all.map((o) => o.id)).size).toBe(all.length)
    })

    it.runIf(backend.videoPath)("other('video_preview') returns transcoding info for a video", async () => {
      const video = await driver.get(backend.videoPath!)
      const info = (await driver.other('video_preview', video)) as { video_preview_play_info?: { live_transcoding_task_list?: unknown[] } }
      expect(info.video_preview_play_info?.live_transcoding_task_list?.length).toBeGreaterThan(0)
    })

    it.runIf(backend.livpPath)('links a .livp through its jpeg stream', async () => {
      const livp = await driver.get(backend.livpPath!)
      const link = await driver.link(livp)
      expect((await download(link.url, link.headers)).length).toBeGreaterThan(0)
    })

    it.runIf(backend.expireAccessTokens)('keeps working when the access token expires mid-run (one refresh, one repeat)', async () => {
      const before = driver.stats.refreshes
      backend.expireAccessTokens!()
      const results = await Promise.all(Array.from({ length: 5 }, () => driver.list(scratch)))
      expect(results.every((r) => Array.isArray(r))).toBe(true)
      expect(driver.stats.refreshes).toBe(before + 1)
    })

    it.runIf(backend.rateLimitedCount)('ran the whole suite under the real rate limits without a single 429', () => {
      expect(backend.rateLimitedCount!()).toBe(0)
    })
  })
}
