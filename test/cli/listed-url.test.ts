/**
 * Small files without the link limit: a listing's `url` (docs/api-notes.md §3.0: a direct download URL for files under
 * 5 MB, a preview for images) is used by `get` when it is fresh, for a small non-image file, and the bytes are checked
 * against the listed SHA-1; a stale one, an image, a large file or a URL that serves other bytes goes through
 * getDownloadUrl. The emulator models the listed URL, and its `listedUrls: false` switch the opposite behaviour.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { downloadFile } from '../../src/cli/download.js'
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js'
import type { Obj, StorageDriver } from '../../src/host/types.js'
import { plugin } from '../../src/plugin.js'
import { call } from '../helpers/emulator.js'

const LINK_ROUTE = '/adrive/v1.0/openFile/getDownloadUrl'
const SMALL_A = 'a'.repeat(5000)
const SMALL_B = 'b'.repeat(5000)

let dir: string
let emu: EmulatorHandle | undefined
let driver: StorageDriver | undefined

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ado-listed-'))
})
afterEach(async () => {
  await driver?.drop()
  await emu?.close()
  driver = emu = undefined
  await rm(dir, { recursive: true, force: true })
})

async function setUp(options: Partial<EmulatorOptions> = {}): Promise<{ files: Map<string, Obj> }> {
  emu = await startEmulator({
    port: 0,
    limits: false,
    seed: [
      { path: '/s/a.txt', content: SMALL_A },
      { path: '/s/b.txt', content: SMALL_B },
      { path: '/s/photo.jpg', content: 'jpeg bytes' },
      { path: '/s/large.bin', size: 6_000_000 },
    ],
    ...options,
  })
  driver = plugin.create(emu.driverConfig({ drive_type: 'resource' }), { apiBaseUrl: emu.apiUrl })
  await driver.init()
  const listed = await driver.list(await driver.get('/s'))
  emu.resetStats()
  return { files: new Map(listed.map((o) => [o.name, o])) }
}

const linkCalls = () => emu!.stats().calls[LINK_ROUTE] ?? 0
const sha1 = (b: Buffer | string) => createHash('sha1').update(b).digest('hex')
const quiet = { resume: true, onProgress: () => {}, say: () => {} }

async function get(d: StorageDriver, obj: Obj): Promise<Buffer> {
  const target = join(dir, obj.name)
  await downloadFile(d, obj, target, quiet)
  return readFile(target)
}

describe('listed download URLs', () => {
  it('the emulator lists a url for small non-image files only, and none with listedUrls: false', async () => {
    await setUp()
    const items = async () => {
      const token = emu!.issueAccessToken()
      const drive = emu!.driveIds.resource!
      const folder = await call(emu!, token, '/adrive/v1.0/openFile/get_by_path', { drive_id: drive, file_path: '/s' })
      const list = await call(emu!, token, '/adrive/v1.0/openFile/list', {
        drive_id: drive,
        parent_file_id: (folder.body as { file_id: string }).file_id,
      })
      return new Map((list.body as { items: Array<{ name: string; url?: string }> }).items.map((i) => [i.name, i.url]))
    }
    const on = await items()
    expect(on.get('a.txt')).toMatch(/x-oss-expires=\d+/)
    expect(on.get('photo.jpg')).toBeUndefined()
    expect(on.get('large.bin')).toBeUndefined()
    await driver!.drop()
    await emu!.close()
    await setUp({ listedUrls: false })
    const off = await items()
    expect(off.get('a.txt')).toBeUndefined()
  })

  it('fresh: a small file is downloaded from its listed URL, with no getDownloadUrl call, SHA-1 equal', async () => {
    const { files } = await setUp()
    const bytes = await get(driver!, files.get('a.txt')!)
    expect(sha1(bytes)).toBe(sha1(SMALL_A))
    expect(linkCalls()).toBe(0)
  })

  it('fresh, single get: the URL get_by_path answered with is used the same way', async () => {
    await setUp()
    const fresh = plugin.create(emu!.driverConfig({ drive_type: 'resource' }), { apiBaseUrl: emu!.apiUrl })
    try {
      await fresh.init()
      const obj = await fresh.get('/s/b.txt')
      emu!.resetStats()
      expect(sha1(await get(fresh, obj))).toBe(sha1(SMALL_B))
      expect(linkCalls()).toBe(0)
    } finally {
      await fresh.drop()
    }
  })

  it('without listed URLs (listedUrls: false) the same download asks getDownloadUrl', async () => {
    const { files } = await setUp({ listedUrls: false })
    expect(sha1(await get(driver!, files.get('a.txt')!))).toBe(sha1(SMALL_A))
    expect(linkCalls()).toBe(1)
  })

  it('stale: a listed URL with less than a minute left is not used', async () => {
    const { files } = await setUp({ downloadUrlTtlSec: 30 })
    expect(sha1(await get(driver!, files.get('a.txt')!))).toBe(sha1(SMALL_A))
    expect(linkCalls()).toBe(1)
  })

  it('lying: a listed URL serving other bytes falls back to getDownloadUrl and writes the right file', async () => {
    const { files } = await setUp()
    const a = files.get('a.txt')!
    const b = files.get('b.txt')!
    // The listed URL handed out for a.txt is b.txt's (same size, other bytes): what a wrong or stale listing would do.
    const lying: StorageDriver = Object.create(driver!) as StorageDriver
    let lied = 0
    lying.link = (file, opts) => {
      if (!opts?.listedUrl || file.id !== a.id) return driver!.link(file, opts)
      lied++
      return driver!.link(b, opts)
    }
    const bytes = await get(lying, a)
    expect(lied).toBe(1) // the listed URL was tried…
    expect(sha1(bytes)).toBe(sha1(SMALL_A)) // …its bytes were refused…
    expect(linkCalls()).toBe(1) // …and getDownloadUrl gave the right ones
  })

  it('image: no listed URL is used (it may be a preview); getDownloadUrl gives the original', async () => {
    const { files } = await setUp()
    expect((await get(driver!, files.get('photo.jpg')!)).toString()).toBe('jpeg bytes')
    expect(linkCalls()).toBe(1)
  })

  it('large: a file of 5 MB or more has no listed URL; getDownloadUrl is asked', async () => {
    const { files } = await setUp()
    const bytes = await get(driver!, files.get('large.bin')!)
    expect(bytes.length).toBe(6_000_000)
    expect(sha1(bytes)).toBe(files.get('large.bin')!.hashes.sha1)
    expect(linkCalls()).toBe(1)
  })
})
