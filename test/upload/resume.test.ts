/**
 * Uploads resumed across runs (README "Resumable uploads"): a session store remembers the reservation; a later upload
 * of the same file continues it after confirming the stored parts with the service, and anything stale starts over
 * with the old reservation removed. Bytes sent are measured by the emulator (stats.partBytes).
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  AliyundriveOpen,
  fromFile,
  isDriverError,
  type UploadSessionRecord,
  type UploadSessionStore,
} from '../../src/index.js'
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js'

const PART = 64 * 1024
const SIZE = 16 * PART + 1000 // 17 parts
const FAST = { list: 1000, link: 1000, other: 1000 }

class MemoryStore implements UploadSessionStore {
  readonly records = new Map<string, UploadSessionRecord>()
  maxAgeMs?: number
  load(key: string) {
    const r = this.records.get(key)
    return r && structuredClone(r)
  }
  save(r: UploadSessionRecord) {
    this.records.set(r.key, structuredClone(r))
  }
  delete(key: string) {
    this.records.delete(key)
  }
  only(): UploadSessionRecord {
    expect(this.records.size).toBe(1)
    return [...this.records.values()][0]!
  }
}

let emu: EmulatorHandle | undefined
let dir = ''
afterEach(async () => {
  await emu?.close()
  emu = undefined
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function setup(opts: EmulatorOptions = {}) {
  dir = mkdtempSync(join(tmpdir(), 'ado-resume-'))
  emu = await startEmulator({ limits: false, ...opts })
  const file = join(dir, 'big.bin')
  writeFileSync(file, randomBytes(SIZE))
  return { file, driver: await driverFor(emu, { refresh_token: emu.issueRefreshToken() }) }
}

async function driverFor(e: EmulatorHandle, tokens: Record<string, unknown>) {
  const d = new AliyundriveOpen(
    e.driverConfig({ ...tokens, drive_type: 'resource' }),
    { apiBaseUrl: e.apiUrl, limits: FAST },
    { partSizeOverride: PART },
  )
  await d.init()
  return d
}

/** Uploads until at least `share` of the file is stored, then aborts (as a killed run would stop). */
async function interrupted(driver: AliyundriveOpen, file: string, store: UploadSessionStore, share = 0.5) {
  const ac = new AbortController()
  const err = await driver
    .upload(driver.getRoot(), fromFile(file), {
      sessions: store,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.phase === 'uploading' && p.loaded >= share * p.total) ac.abort()
      },
    })
    .catch((e: unknown) => e)
  expect(isDriverError(err) && err.code).toBe('ABORTED')
}

function sha1(buf: Buffer): string {
  return createHash('sha1').update(buf).digest('hex')
}

async function uploadedParts(e: EmulatorHandle, driver: AliyundriveOpen, rec: UploadSessionRecord) {
  const token = (driver.config as { AccessToken?: string }).AccessToken ?? ''
  const res = await fetch(`${e.apiUrl}/adrive/v1.0/openFile/listUploadedParts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ drive_id: rec.driveId, file_id: rec.fileId, upload_id: rec.uploadId }),
  })
  return { status: res.status, body: (await res.json()) as { code?: string } }
}

describe('resumable uploads', () => {
  it('a second run continues where the first stopped and sends only the rest', async () => {
    const { file, driver } = await setup()
    const store = new MemoryStore()
    await interrupted(driver, file, store)
    const rec = store.only()
    expect(rec.partsDone.length).toBeGreaterThanOrEqual(8)
    expect(emu!.findByPath('resource', '/big.bin')).toBeUndefined() // the reservation is not a listed file

    emu!.resetStats()
    const resumes: number[] = []
    const obj = await driver.upload(driver.getRoot(), fromFile(file), {
      sessions: store,
      onResume: (r) => resumes.push(r.bytesDone),
    })
    expect(resumes).toHaveLength(1)
    expect(resumes[0]).toBeGreaterThanOrEqual(SIZE / 2 - PART)
    const sent = emu!.stats().partBytes
    expect(sent).toBeLessThanOrEqual(SIZE - resumes[0]! + PART)
    expect(obj.id).toBe(rec.fileId)
    expect(obj.hashes.sha1).toBe(sha1(await emu!.readFile('resource', '/big.bin')))
    expect((await emu!.readFile('resource', '/big.bin')).equals(readFileSync(file))).toBe(true)
    expect(store.records.size).toBe(0) // a finished upload leaves no record
    await driver.drop()
  })

  it('a changed source starts over and removes the stale reservation', async () => {
    const { file, driver } = await setup()
    const store = new MemoryStore()
    await interrupted(driver, file, store)
    const stale = store.only()
    writeFileSync(file, randomBytes(SIZE)) // same size, new content and mtime
    const resumes: unknown[] = []
    const obj = await driver.upload(driver.getRoot(), fromFile(file), {
      sessions: store,
      onResume: (r) => resumes.push(r),
    })
    expect(resumes).toHaveLength(0)
    expect(obj.id).not.toBe(stale.fileId)
    const old = await uploadedParts(emu!, driver, stale)
    expect(old.body.code).toBe('NotFound.UploadId') // deleted by its id
    expect(obj.hashes.sha1).toBe(sha1(readFileSync(file)))
    await driver.drop()
  })

  it('a record older than the store allows starts over, removing its reservation', async () => {
    const { file, driver } = await setup()
    const store = new MemoryStore()
    await interrupted(driver, file, store)
    const stale = store.only()
    store.maxAgeMs = 60_000
    store.records.set(stale.key, { ...stale, createdAt: Date.now() - 120_000 })
    const resumes: unknown[] = []
    const obj = await driver.upload(driver.getRoot(), fromFile(file), {
      sessions: store,
      onResume: (r) => resumes.push(r),
    })
    expect(resumes).toHaveLength(0)
    expect(obj.id).not.toBe(stale.fileId)
    expect((await uploadedParts(emu!, driver, stale)).body.code).toBe('NotFound.UploadId')
    await driver.drop()
  })

  it('a session the service no longer knows (expired there) starts over', async () => {
    let clock = Date.now()
    const { file, driver } = await setup({ now: () => clock, uploadSessionTtlSec: 60 })
    const store = new MemoryStore()
    await interrupted(driver, file, store)
    const stale = store.only()
    clock += 61_000
    const resumes: unknown[] = []
    const obj = await driver.upload(driver.getRoot(), fromFile(file), {
      sessions: store,
      onResume: (r) => resumes.push(r),
    })
    expect(resumes).toHaveLength(0)
    expect(obj.id).not.toBe(stale.fileId)
    expect(obj.size).toBe(SIZE)
    expect(store.records.size).toBe(0)
    await driver.drop()
  })

  it('resumes after the emulator restarted (persist: true keeps sessions and parts in storageDir)', async () => {
    const storage = mkdtempSync(join(tmpdir(), 'ado-resume-store-'))
    try {
      const { file, driver } = await setup({
        storageDir: storage,
        persist: true,
        seed: [{ path: '/seeded.txt', content: 'x' }],
      })
      const store = new MemoryStore()
      await interrupted(driver, file, store, 0.4)
      const rec = store.only()
      await driver.drop()
      await emu!.close()
      emu = await startEmulator({ limits: false, storageDir: storage, persist: true })
      expect(emu.findByPath('resource', '/seeded.txt')).toBeDefined()
      const again = await driverFor(emu, {
        refresh_token: driver.config.refresh_token,
        AccessToken: driver.config.AccessToken,
      })
      const resumes: number[] = []
      const obj = await again.upload(again.getRoot(), fromFile(file), {
        sessions: store,
        onResume: (r) => resumes.push(r.bytesDone),
      })
      expect(resumes[0]).toBeGreaterThanOrEqual(SIZE * 0.4 - PART)
      expect(emu.stats().partBytes).toBeLessThanOrEqual(SIZE - resumes[0]! + PART)
      expect(obj.id).toBe(rec.fileId)
      expect(obj.hashes.sha1).toBe(sha1(readFileSync(file)))
      await again.drop()
    } finally {
      await emu?.close()
      emu = undefined
      rmSync(storage, { recursive: true, force: true })
    }
  })
})
