/**
 * Replacing never deletes what is no longer the thing being replaced (RELIABILITY.md, section "Overwrite races"). An overwrite captures the
 * holder of the name before it starts and removes it after; if meanwhile the user moved the old file aside
 * ("a.txt" → "a.bak", to keep the old version) the removal must leave it. Raced through the library (upload, rename,
 * move, copy) and through WebDAV PUT, with remove_way trash and delete.
 */
import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { AliyundriveOpen } from '../../src/driver/aliyundrive-open.js'
import { startEmulator, type EmulatorHandle, type SeedEntry } from '../../src/emulator/index.js'
import type { Logger, Obj, UploadSource } from '../../src/host/types.js'
import { startServer, type RunningServer } from '../../src/server/index.js'
import { fromBuffer } from '../../src/upload/index.js'

const OLD = 'old version\n'
const NEW = 'the new version, longer\n'
type RemoveWay = 'trash' | 'delete'

let emu: EmulatorHandle | undefined
let driver: AliyundriveOpen | undefined
let server: RunningServer | undefined
afterEach(async () => {
  await server?.close()
  await driver?.drop()
  await emu?.close()
  server = driver = emu = undefined
})

async function setup(removeWay: RemoveWay, seed: SeedEntry[]) {
  emu = await startEmulator({ port: 0, limits: false, seed })
  const warnings: string[] = []
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (m) => void warnings.push(m),
    error: (m) => void warnings.push(m),
  }
  driver = new AliyundriveOpen(emu.driverConfig({ remove_way: removeWay, drive_type: 'resource' }), {
    apiBaseUrl: emu.apiUrl,
    logger,
  })
  await driver.init()
  return { emu, driver, warnings }
}

/** What the drive holds: visible entries by path, and whether `a.bak` survived with the old bytes. */
async function expectOldKeptAsBak(e: EmulatorHandle, bakPath: string, targetPath: string) {
  const visible = e.debugTree('resource').filter((x) => !x.trashed)
  expect(
    visible.filter((x) => x.path === bakPath),
    `${bakPath} must survive`,
  ).toHaveLength(1)
  expect((await e.readFile('resource', bakPath)).toString()).toBe(OLD)
  expect(visible.filter((x) => x.path === targetPath)).toHaveLength(1)
  expect((await e.readFile('resource', targetPath)).toString()).toBe(NEW)
  expect(
    e.debugTree('resource').filter((x) => x.trashed),
    'nothing went to the recycle bin',
  ).toEqual([])
}

/** An upload source that runs `during` when the driver first reads its bytes (after it captured the holder). */
function sourceRunning(during: () => Promise<void>): UploadSource {
  const inner = fromBuffer(Buffer.from(NEW), 'a.txt')
  let ran = false
  return {
    name: inner.name,
    size: inner.size,
    async *read(start, end, signal) {
      if (!ran) {
        ran = true
        await during()
      }
      yield* inner.read(start, end, signal)
    },
  }
}

/**
 * Runs `race` just before the driver's first call of files.<method> (the operation after the holder was captured).
 * The calls on the drive live in the driver's session, which exists once the driver is initialised.
 */
function raceBefore(d: AliyundriveOpen, method: 'rename' | 'move' | 'copy', race: () => Promise<void>) {
  const session = (d as unknown as { session?: { files: Record<string, (...args: unknown[]) => Promise<unknown>> } })
    .session
  if (!session) throw new Error('raceBefore needs an initialised driver')
  const files = session.files
  const original = files[method]!.bind(files)
  files[method] = async (...args: unknown[]) => {
    files[method] = original
    await race()
    return original(...args)
  }
}

describe.each<RemoveWay>(['trash', 'delete'])('overwrite race, remove_way %s', (removeWay) => {
  it('library upload: the old file moved aside during the upload is left, with one warning', async () => {
    const { emu: e, driver: d, warnings } = await setup(removeWay, [{ path: '/a.txt', content: OLD }])
    const old = await d.get('/a.txt')
    await d.upload(
      d.getRoot(),
      sourceRunning(async () => void (await d.rename(old, 'a.bak'))),
      { conflict: 'overwrite' },
    )
    await expectOldKeptAsBak(e, '/a.bak', '/a.txt')
    expect(warnings.filter((w) => /left "a\.txt".*renamed to "a\.bak"/.test(w))).toHaveLength(1)
  })

  it('library upload: an old file still in place is replaced (the guard does not block overwrite)', async () => {
    const { emu: e, driver: d, warnings } = await setup(removeWay, [{ path: '/a.txt', content: OLD }])
    await d.upload(d.getRoot(), fromBuffer(Buffer.from(NEW), 'a.txt'), { conflict: 'overwrite' })
    const named = e.debugTree('resource').filter((x) => x.name === 'a.txt')
    expect(named.filter((x) => !x.trashed)).toHaveLength(1)
    expect(named.filter((x) => x.trashed)).toHaveLength(removeWay === 'trash' ? 1 : 0)
    expect((await e.readFile('resource', '/a.txt')).toString()).toBe(NEW)
    expect(warnings).toEqual([])
  })

  it('library upload: an old file moved to another folder meanwhile is left', async () => {
    const { emu: e, driver: d } = await setup(removeWay, [
      { path: '/a.txt', content: OLD },
      { path: '/keep', folder: true },
    ])
    const old = await d.get('/a.txt')
    const keep = await d.get('/keep')
    await d.upload(
      d.getRoot(),
      sourceRunning(async () => void (await d.move(old, keep))),
      { conflict: 'overwrite' },
    )
    expect((await e.readFile('resource', '/keep/a.txt')).toString()).toBe(OLD)
    expect((await e.readFile('resource', '/a.txt')).toString()).toBe(NEW)
  })

  it.each(['rename', 'move', 'copy'] as const)(
    'library %s with overwrite: the holder moved aside meanwhile is left',
    async (op) => {
      const {
        emu: e,
        driver: d,
        warnings,
      } = await setup(removeWay, [
        { path: '/a.txt', content: OLD },
        { path: '/src/a.txt', content: NEW },
        { path: '/new.txt', content: NEW },
      ])
      const holder = await d.get('/a.txt')
      raceBefore(d, op, async () => void (await d.rename(holder, 'a.bak')))
      let result: Obj
      if (op === 'rename') result = await d.rename(await d.get('/new.txt'), 'a.txt', { conflict: 'overwrite' })
      else if (op === 'move') result = await d.move(await d.get('/src/a.txt'), d.getRoot(), { conflict: 'overwrite' })
      else result = await d.copy(await d.get('/src/a.txt'), d.getRoot(), { conflict: 'overwrite' })
      expect(result.path).toBe('/a.txt')
      await expectOldKeptAsBak(e, '/a.bak', '/a.txt')
      expect(warnings.filter((w) => /left "a\.txt"/.test(w))).toHaveLength(1)
    },
  )

  it('WebDAV PUT: the old file renamed by another client while the body is still arriving is left', async () => {
    const { emu: e, driver: d, warnings } = await setup(removeWay, [{ path: '/a.txt', content: OLD }])
    server = await startServer({ driver: d, credentials: { user: 'u', password: 'p' }, port: 0 })
    const url = new URL(`${server.davUrl.replace(/\/$/, '')}/a.txt`)
    const body = Buffer.from(NEW)
    const creates = () => e.stats().calls['/adrive/v1.0/openFile/create'] ?? 0
    const before = creates()
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'PUT',
          headers: { Authorization: `Basic ${Buffer.from('u:p').toString('base64')}`, 'Content-Length': body.length },
        },
        (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode ?? 0))
        },
      )
      req.on('error', reject)
      req.write(body.subarray(0, 5))
      void (async () => {
        // The upload has captured the holder once it asks to create the new file; then the user moves the old one.
        while (creates() === before) await new Promise((r) => setTimeout(r, 10))
        await d.rename(await d.get('/a.txt'), 'a.bak')
        req.end(body.subarray(5))
      })().catch(reject)
    })
    expect(status).toBeGreaterThanOrEqual(200)
    expect(status).toBeLessThan(300)
    await expectOldKeptAsBak(e, '/a.bak', '/a.txt')
    expect(warnings.filter((w) => /left "a\.txt"/.test(w))).toHaveLength(1)
  })
})
