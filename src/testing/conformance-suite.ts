/**
 * The conformance suite: the storage driver contract (docs/contract.md §2–§4) written once, run against any
 * `StorageDriver` — this package's driver on the emulator and on a live account, or a host's or another package's
 * driver. Everything happens inside one scratch folder that is removed at the end.
 */
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import type { DriverCapabilities, Obj, StorageDriver } from '../host/types.js'
import { fromBuffer } from '../upload/index.js'
import { assertMatch } from './match.js'
import type { TestBody, TestRunner } from './runner.js'
import type { ConformanceTarget } from './target.js'

type Capability = Exclude<keyof DriverCapabilities, 'other'>
/** A driver capability, an `other` method (`other:<method>`), or a target knob that must be present. */
type Need = Capability | `other:${string}` | `target:${keyof ConformanceTarget}`

const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex')

async function download(url: string, headers: Record<string, string> = {}): Promise<Buffer> {
  const res = await fetch(url, { headers })
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}`)
  return Buffer.from(await res.arrayBuffer())
}

/** Registers the suite's cases with `runner`, e.g. `conformanceSuite(target, { describe, it, beforeAll, afterAll })`. */
export function conformanceSuite<D extends StorageDriver>(target: ConformanceTarget<D>, runner: TestRunner): void {
  const caps = target.capabilities
  const missing = (needs: Need[]) =>
    needs.filter((need) => {
      if (need.startsWith('other:')) return !caps.other.includes(need.slice('other:'.length))
      if (need.startsWith('target:'))
        return target[need.slice('target:'.length) as keyof ConformanceTarget] === undefined
      return !caps[need as Capability]
    })
  const test = (name: string, needs: Need[], body: TestBody) => {
    const lacking = missing(needs)
    if (lacking.length === 0) runner.it(name, body)
    else runner.it.skip(`${name} (needs ${lacking.join(', ')})`, body)
  }
  /** Cases that write make their own folder inside the scratch folder and upload into it. */
  const writes: Need[] = ['makeDir', 'upload']

  runner.describe(`conformance: ${target.name}`, () => {
    let driver: D
    let scratch: Obj | undefined
    const names = new Set<string>()
    const unique = (base: string) => {
      const name = `${base}-${names.size}`
      names.add(name)
      return name
    }
    const folder = () => {
      if (!scratch) throw new Error('no scratch folder: the driver cannot makeDir')
      return scratch
    }
    const put = async (dir: Obj, name: string, bytes: Uint8Array) =>
      driver.upload(dir, fromBuffer(bytes, name), { conflict: 'refuse' })

    runner.beforeAll(async () => {
      driver = await target.makeDriver()
      await driver.init()
      if (caps.makeDir) {
        const name = `conformance-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
        scratch = await driver.makeDir(driver.getRoot(), name)
      }
    })

    runner.afterAll(async () => {
      if (scratch && caps.remove) await driver.remove(scratch).catch(() => undefined)
      await driver?.drop()
    })

    test('the driver declares the capabilities the suite was given', [], async () => {
      assert.deepStrictEqual({ ...driver.props.capabilities }, { ...caps })
    })

    test('get resolves files and folders by path, NOT_FOUND otherwise', [...writes, 'get'], async () => {
      const dir = await driver.makeDir(folder(), unique('get'))
      const f = await put(dir, 'a.txt', Buffer.from('hello'))
      assertMatch(await driver.get(dir.path), { id: dir.id, isFolder: true })
      assertMatch(await driver.get(`${dir.path}/a.txt`), {
        id: f.id,
        size: 5,
        isFolder: false,
        hashes: { sha1: sha1(Buffer.from('hello')) },
      })
      await assert.rejects(driver.get(`${dir.path}/missing.txt`), { code: 'NOT_FOUND' })
    })

    test('upload, list and link + download of the bytes', [...writes, 'list', 'link'], async () => {
      const dir = await driver.makeDir(folder(), unique('bytes'))
      const bytes = randomBytes(300_000)
      const f = await put(dir, '数据 file.bin', bytes)
      assertMatch(f, {
        name: '数据 file.bin',
        path: `${dir.path}/数据 file.bin`,
        size: bytes.length,
        hashes: { sha1: sha1(bytes) },
      })
      const listed = await driver.list(dir)
      assert.deepStrictEqual(
        listed.map((o) => o.name),
        ['数据 file.bin'],
      )
      const link = await driver.link(f)
      assert.ok(link.expiresAt, 'the link says when it expires')
      assert.ok(link.expiresAt.getTime() > Date.now(), 'the link is not expired')
      assert.equal(sha1(await download(link.url, link.headers)), sha1(bytes))
    })

    test('makeDir is mkdir -p: the same folder comes back', ['makeDir', 'list'], async () => {
      const name = unique('mk')
      const a = await driver.makeDir(folder(), name)
      const b = await driver.makeDir(folder(), name)
      assert.equal(b.id, a.id)
      assert.equal((await driver.list(folder())).filter((o) => o.name === name).length, 1)
    })

    test('rename with each conflict mode', [...writes, 'rename', 'list'], async () => {
      const dir = await driver.makeDir(folder(), unique('rename'))
      const a = await put(dir, 'a.txt', Buffer.from('A'))
      const b = await put(dir, 'b.txt', Buffer.from('B'))
      await assert.rejects(driver.rename(a, 'b.txt'), { code: 'ALREADY_EXISTS' })
      const renamed = await driver.rename(a, 'b.txt', { conflict: 'rename' })
      assert.notEqual(renamed.name, 'b.txt')
      const over = await driver.rename(renamed, 'b.txt', { conflict: 'overwrite' })
      assertMatch(over, { id: a.id, name: 'b.txt' })
      const after = await driver.list(dir)
      assert.deepStrictEqual(
        after.map((o) => o.id),
        [a.id],
      )
      assert.equal(
        after.find((o) => o.id === b.id),
        undefined,
      )
    })

    test(
      'move with each conflict mode (a taken name is refused without moving)',
      [...writes, 'move', 'list'],
      async () => {
        const src = await driver.makeDir(folder(), unique('move-src'))
        const dst = await driver.makeDir(folder(), unique('move-dst'))
        const x = await put(src, 'x.txt', Buffer.from('x1'))
        const holder = await put(dst, 'x.txt', Buffer.from('x0'))
        await assert.rejects(driver.move(x, dst), { code: 'ALREADY_EXISTS' })
        assert.deepStrictEqual(
          (await driver.list(src)).map((o) => o.id),
          [x.id],
        )
        const moved = await driver.move(x, dst, { conflict: 'overwrite' })
        assertMatch(moved, { id: x.id, path: `${dst.path}/x.txt` })
        assert.deepStrictEqual(
          (await driver.list(dst)).map((o) => o.id),
          [x.id],
        )
        assert.notEqual(holder.id, x.id)
        const y = await put(src, 'x.txt', Buffer.from('x2'))
        const renamedMove = await driver.move(y, dst, { conflict: 'rename' })
        assert.notEqual(renamedMove.name, 'x.txt')
        assert.equal((await driver.list(dst)).length, 2)
      },
    )

    test('copy a file and a whole folder with each conflict mode', [...writes, 'copy', 'list'], async () => {
      const src = await driver.makeDir(folder(), unique('copy-src'))
      const inner = await driver.makeDir(src, 'inner')
      const bytes = randomBytes(1000)
      await put(inner, 'deep.bin', bytes)
      const dst = await driver.makeDir(folder(), unique('copy-dst'))
      const copied = await driver.copy(inner, dst)
      assertMatch(copied, { path: `${dst.path}/inner`, isFolder: true })
      assert.notEqual(copied.id, inner.id)
      const deep = await driver.list(copied)
      assert.deepStrictEqual(
        deep.map((o) => [o.name, o.hashes.sha1]),
        [['deep.bin', sha1(bytes)]],
      )
      await assert.rejects(driver.copy(inner, dst), { code: 'ALREADY_EXISTS' })
      const second = await driver.copy(inner, dst, { conflict: 'rename' })
      assert.notEqual(second.name, 'inner')
      const replaced = await driver.copy(inner, dst, { conflict: 'overwrite' })
      const names = (await driver.list(dst)).map((o) => o.name).sort()
      assert.deepStrictEqual(names, [second.name, 'inner'].sort())
      assert.equal((await driver.list(dst)).find((o) => o.name === 'inner')?.id, replaced.id)
      // the source is untouched
      assert.deepStrictEqual(
        (await driver.list(inner)).map((o) => o.name),
        ['deep.bin'],
      )
    })

    test('remove (default way) makes it disappear', [...writes, 'remove', 'get'], async () => {
      const dir = await driver.makeDir(folder(), unique('remove'))
      const t = await put(dir, 't.txt', Buffer.from('t'))
      await driver.remove(t)
      await assert.rejects(driver.get(t.path), { code: 'NOT_FOUND' })
    })

    test(
      'remove by a driver configured to delete outright makes it disappear',
      [...writes, 'remove', 'get', 'list', 'target:permanentRemoveOverrides'],
      async () => {
        const dir = await driver.makeDir(folder(), unique('delete'))
        const deleter = await target.makeDriver(target.permanentRemoveOverrides)
        try {
          const d = await put(dir, 'd.txt', Buffer.from('d'))
          const seen = await deleter.get(d.path)
          await deleter.remove(seen)
          assert.deepStrictEqual(await driver.list(dir), [])
        } finally {
          await deleter.drop()
        }
      },
    )

    test('details reports space in bytes', ['details'], async () => {
      const d = await driver.details()
      assert.ok(d.totalSpace > 0, `totalSpace ${d.totalSpace} > 0`)
      assert.ok(d.usedSpace >= 0, `usedSpace ${d.usedSpace} >= 0`)
      assert.ok(d.usedSpace <= d.totalSpace, `usedSpace ${d.usedSpace} <= totalSpace ${d.totalSpace}`)
    })

    test(
      'lists every entry of a folder with more than 200 (all pages)',
      ['get', 'list', 'target:bigFolderPath'],
      async () => {
        const all = await driver.list(await driver.get(target.bigFolderPath!))
        assert.ok(all.length > 200, `${all.length} entries > 200`)
        assert.equal(new Set(all.map((o) => o.id)).size, all.length, 'no entry listed twice')
      },
    )

    test(
      "other('video_preview') returns transcoding info for a video",
      ['get', 'other:video_preview', 'target:videoPath'],
      async () => {
        const video = await driver.get(target.videoPath!)
        const info = (await driver.other('video_preview', video)) as {
          video_preview_play_info?: { live_transcoding_task_list?: unknown[] }
        }
        assert.ok(
          (info.video_preview_play_info?.live_transcoding_task_list?.length ?? 0) > 0,
          'transcoding tasks listed',
        )
      },
    )

    test('links a .livp through its jpeg stream', ['get', 'link', 'target:livpPath'], async () => {
      const link = await driver.link(await driver.get(target.livpPath!))
      assert.ok((await download(link.url, link.headers)).length > 0, 'the stream has bytes')
    })

    const expiry: Need[] = ['makeDir', 'list', 'target:expireAccessTokens', 'target:tokenRefreshes']
    test('keeps working when the access token expires mid-run (one refresh, one repeat)', expiry, async () => {
      const before = target.tokenRefreshes!(driver)
      target.expireAccessTokens!()
      const results = await Promise.all(Array.from({ length: 5 }, () => driver.list(folder())))
      assert.ok(results.every((r) => Array.isArray(r)))
      assert.equal(target.tokenRefreshes!(driver), before + 1)
    })

    test('ran the whole suite without a single 429', ['target:rateLimitedCount'], async () => {
      assert.equal(target.rateLimitedCount!(), 0)
    })
  })
}
