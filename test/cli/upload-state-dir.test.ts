/** The CLI's upload session store: private folder, one record per key, sweeping of records long past any use. */
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { UploadStateDir, uploadStateDirFor } from '../../src/cli/upload-state-dir.js'
import type { UploadSessionRecord } from '../../src/index.js'

let dir = ''
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

const record = (key: string, createdAt: number): UploadSessionRecord => ({
  version: 1,
  key,
  driveId: 'd',
  parentId: 'root',
  name: 'a.bin',
  fileId: 'f',
  uploadId: 'U',
  partSize: 10,
  partCount: 3,
  partsDone: [1],
  source: { path: '/x/a.bin', size: 25, mtimeMs: 1, headSha1: 'h', tailSha1: 't' },
  createdAt,
  updatedAt: createdAt,
})

describe('UploadStateDir', () => {
  it('lives next to the config, is private, and keeps one record per key until deleted', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ado-state-'))
    const path = uploadStateDirFor(join(dir, 'alipan.json'))
    expect(path).toBe(join(dir, '.alipan.json.uploads'))
    const store = await UploadStateDir.open(path)
    expect((await stat(path)).mode & 0o777).toBe(0o700)
    await store.save(record('k1', Date.now()))
    await store.save({ ...record('k1', Date.now()), partsDone: [1, 2] })
    expect((await store.load('k1'))?.partsDone).toEqual([1, 2])
    expect(await store.load('k2')).toBeUndefined()
    const files = await readdir(path)
    expect(files).toHaveLength(1)
    expect((await stat(join(path, files[0]!))).mode & 0o777).toBe(0o600)
    await store.delete('k1')
    expect(await store.load('k1')).toBeUndefined()
  })

  it('sweeps records far past their expiry, unreadable ones and stale temp files, and keeps recent ones', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ado-state-'))
    const path = uploadStateDirFor(join(dir, 'c.json'))
    const now = Date.now()
    const store = await UploadStateDir.open(path, now)
    await store.save(record('recent', now - 8 * 24 * 3600_000)) // expired for resuming, kept for the driver to clean up
    await store.save(record('ancient', now - 40 * 24 * 3600_000))
    await writeFile(join(path, 'torn.json'), '{')
    await writeFile(join(path, '.x.json.123.abcd.tmp'), 'partial')
    await utimes(join(path, '.x.json.123.abcd.tmp'), new Date(now - 2 * 3600_000), new Date(now - 2 * 3600_000))
    const reopened = await UploadStateDir.open(path, now)
    expect(await reopened.load('recent')).toBeDefined()
    expect(await reopened.load('ancient')).toBeUndefined()
    expect(await readdir(path)).toHaveLength(1)
  })
})
