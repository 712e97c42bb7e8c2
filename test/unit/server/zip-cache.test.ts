/**
 * The open-zip cache (src/server/openlist/archive/zip-cache.ts), with the zip reader replaced by a counter: what is
 * opened once, what is opened again, and that every zip the cache lets go of is closed.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Obj } from '../../../src/host/types.js'
import type { FsService } from '../../../src/server/fs-service.js'
import type { OpenZip } from '../../../src/server/openlist/archive/zip-reader.js'

const opened: Array<{ id: string; closed: number }> = []
let failNext = false

vi.mock('../../../src/server/openlist/archive/zip-reader.js', () => ({
  openZip: vi.fn((_fs: FsService, file: Obj): Promise<OpenZip> => {
    if (failNext) {
      failNext = false
      return Promise.reject(new Error('not a zip'))
    }
    const record = { id: file.id, closed: 0 }
    opened.push(record)
    return Promise.resolve({
      entries: [],
      comment: '',
      encrypted: false,
      index: { name: '', modified: new Date(0), folders: new Map(), files: [] },
      gets: () => 0,
      openEntry: () => Promise.reject(new Error('unused')),
      close: () => void record.closed++,
    })
  }),
}))

const { cachedZip } = await import('../../../src/server/openlist/archive/zip-cache.js')

const zip = (id: string, size = 100, modified = 0): Obj => ({
  id,
  path: `/${id}.zip`,
  name: `${id}.zip`,
  size,
  isFolder: false,
  modified: new Date(modified),
  created: new Date(0),
  hashes: {},
})

/** A distinct file service per test: the cache is kept per service, so tests do not share entries. */
const service = () => ({}) as FsService
/** Lets the `.then(close)` of evicted entries run. */
const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('cachedZip', () => {
  beforeEach(() => {
    opened.length = 0
    failNext = false
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.parse('2026-01-01T00:00:00Z'))
  })
  afterEach(() => vi.useRealTimers())

  it('opens a file once and hands the same zip to the next callers', async () => {
    const fs = service()
    const first = cachedZip(fs, zip('a'))
    expect(cachedZip(fs, zip('a'))).toBe(first)
    await first
    expect(opened.map((o) => o.id)).toEqual(['a'])
  })

  it('opens again when the file changed (size or modification time), keeping the other version open', async () => {
    const fs = service()
    await cachedZip(fs, zip('a', 100, 0))
    await cachedZip(fs, zip('a', 101, 0))
    await cachedZip(fs, zip('a', 101, 5_000))
    await settle()
    expect(opened).toEqual([
      { id: 'a', closed: 0 },
      { id: 'a', closed: 0 },
      { id: 'a', closed: 0 },
    ])
  })

  it('keeps one cache per file service', async () => {
    await cachedZip(service(), zip('a'))
    await cachedZip(service(), zip('a'))
    expect(opened).toHaveLength(2)
  })

  it('refresh closes the cached zip and opens the file anew', async () => {
    const fs = service()
    const first = await cachedZip(fs, zip('a'))
    const again = await cachedZip(fs, zip('a'), true)
    await settle()
    expect(again).not.toBe(first)
    expect(opened).toEqual([
      { id: 'a', closed: 1 },
      { id: 'a', closed: 0 },
    ])
  })

  it('keeps a zip for 60 s, then closes it and opens the file anew', async () => {
    const fs = service()
    await cachedZip(fs, zip('a'))
    vi.advanceTimersByTime(60_000)
    await cachedZip(fs, zip('a'))
    expect(opened).toHaveLength(1)
    vi.advanceTimersByTime(1)
    await cachedZip(fs, zip('a'))
    await settle()
    expect(opened).toEqual([
      { id: 'a', closed: 1 },
      { id: 'a', closed: 0 },
    ])
  })

  it('holds at most 8 zips: the oldest is closed and evicted first', async () => {
    const fs = service()
    for (let i = 1; i <= 9; i++) await cachedZip(fs, zip(`z${i}`))
    await settle()
    expect(opened.filter((o) => o.closed > 0).map((o) => o.id)).toEqual(['z1'])
    await cachedZip(fs, zip('z9'))
    expect(opened).toHaveLength(9)
    await cachedZip(fs, zip('z1'))
    expect(opened).toHaveLength(10)
  })

  it('keeps a failed open like a good one: the same failure until refresh or 60 s', async () => {
    const fs = service()
    failNext = true
    const failed = cachedZip(fs, zip('a'))
    await expect(failed).rejects.toThrow('not a zip')
    await settle()
    expect(cachedZip(fs, zip('a'))).toBe(failed)
    await expect(cachedZip(fs, zip('a'))).rejects.toThrow('not a zip')
    expect(opened).toHaveLength(0)
    await cachedZip(fs, zip('a'), true)
    expect(opened.map((o) => o.id)).toEqual(['a'])
    failNext = true
    await expect(cachedZip(fs, zip('b'))).rejects.toThrow('not a zip')
    vi.advanceTimersByTime(60_001)
    await cachedZip(fs, zip('b'))
    expect(opened.map((o) => o.id)).toEqual(['a', 'b'])
  })
})
