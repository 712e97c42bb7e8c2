import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Obj } from '../../../src/host/types.js'
import { ListCache } from '../../../src/server/list-cache.js'

const obj = (path: string): Obj => ({
  id: `id:${path}`,
  path,
  name: path.slice(path.lastIndexOf('/') + 1),
  size: 1,
  isFolder: false,
  modified: new Date(0),
  created: new Date(0),
  hashes: {},
})

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

describe('ListCache', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(Date.parse('2026-01-01T00:00:00Z'))
  })
  afterEach(() => vi.useRealTimers())

  it('serves a listing from cache within the TTL and reloads after it', async () => {
    const cache = new ListCache(5_000)
    const load = vi.fn(async () => [obj('/d/x')])
    await cache.get('/d', load)
    vi.advanceTimersByTime(5_000)
    await cache.get('/d', load)
    expect(load).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(1)
    expect(cache.peek('/d')).toBeUndefined()
    await cache.get('/d', load)
    expect(load).toHaveBeenCalledTimes(2)
  })

  it('with TTL 0 caches nothing', async () => {
    const cache = new ListCache(0)
    const load = vi.fn(async () => [])
    await cache.get('/d', load)
    await cache.get('/d', load)
    expect(load).toHaveBeenCalledTimes(2)
    expect(cache.peek('/d')).toBeUndefined()
  })

  it('shares one upstream listing between concurrent misses of one folder', async () => {
    const cache = new ListCache(5_000)
    const d = deferred<Obj[]>()
    const load = vi.fn(() => d.promise)
    const a = cache.get('/d', load)
    const b = cache.get('/d', load)
    expect(load).toHaveBeenCalledTimes(1)
    d.resolve([obj('/d/x')])
    expect(await a).toBe(await b)
  })

  it('refresh bypasses both the cached listing and the one in flight', async () => {
    const cache = new ListCache(5_000)
    const load = vi.fn(async () => [obj('/d/x')])
    await cache.get('/d', load)
    await cache.get('/d', load, true)
    expect(load).toHaveBeenCalledTimes(2)
  })

  it('does not cache a listing that started before an invalidation of that folder', async () => {
    const cache = new ListCache(5_000)
    const d = deferred<Obj[]>()
    const pending = cache.get('/d', () => d.promise)
    cache.invalidate('/d')
    d.resolve([obj('/d/stale')])
    await pending
    expect(cache.peek('/d')).toBeUndefined()
  })

  it('invalidate drops only that folder', async () => {
    const cache = new ListCache(5_000)
    await cache.get('/d', async () => [])
    await cache.get('/d/sub', async () => [])
    cache.invalidate('/d')
    expect(cache.peek('/d')).toBeUndefined()
    expect(cache.peek('/d/sub')).toBeDefined()
  })

  it('invalidateTree drops the folder and everything below, not siblings sharing the prefix', async () => {
    const cache = new ListCache(5_000)
    for (const p of ['/d', '/d/sub', '/d/sub/deep', '/dd', '/e']) await cache.get(p, async () => [])
    cache.invalidateTree('/d')
    expect(cache.peek('/d')).toBeUndefined()
    expect(cache.peek('/d/sub')).toBeUndefined()
    expect(cache.peek('/d/sub/deep')).toBeUndefined()
    expect(cache.peek('/dd')).toBeDefined()
    expect(cache.peek('/e')).toBeDefined()
    cache.invalidateTree('/')
    expect(cache.peek('/dd')).toBeUndefined()
  })

  it('keys unicode folder names exactly', async () => {
    const cache = new ListCache(5_000)
    await cache.get('/文档', async () => [obj('/文档/ü')])
    expect(cache.peek('/文档')?.[0]?.name).toBe('ü')
    expect(cache.peek('/文档/')).toBeUndefined()
  })
})
