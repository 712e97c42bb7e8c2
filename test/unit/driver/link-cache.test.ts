import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LinkCache, linkExpiry } from '../../../src/driver/link-cache.js'
import type { Link } from '../../../src/host/types.js'

const T0 = Date.parse('2026-01-01T00:00:00Z')

describe('linkExpiry', () => {
  it('reads x-oss-expires (unix seconds) from the URL', () => {
    expect(linkExpiry('https://h/f?x-oss-expires=1767225600&sig=1')?.toISOString()).toBe('2026-01-01T00:00:00.000Z')
  })

  it('prefers the URL over the expiration field, and falls back to the field', () => {
    expect(linkExpiry('https://h/f?x-oss-expires=1767225600', '2030-01-01T00:00:00Z')?.getTime()).toBe(T0)
    expect(linkExpiry('https://h/f', '2026-01-01T00:00:00Z')?.getTime()).toBe(T0)
    expect(linkExpiry('not a url', '2026-01-01T00:00:00Z')?.getTime()).toBe(T0)
  })

  it('gives undefined for nonsense values', () => {
    expect(linkExpiry('https://h/f?x-oss-expires=abc')).toBeUndefined()
    expect(linkExpiry('https://h/f?x-oss-expires=0')).toBeUndefined()
    expect(linkExpiry('https://h/f', 'not a date')).toBeUndefined()
    expect(linkExpiry('https://h/f', null)).toBeUndefined()
  })
})

describe('LinkCache', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(T0)
  })
  afterEach(() => vi.useRealTimers())

  const link = (n: number, lifetimeMs?: number): Link =>
    lifetimeMs === undefined ? { url: `u${n}` } : { url: `u${n}`, expiresAt: new Date(Date.now() + lifetimeMs) }

  it('reuses a 900 s link for a quarter of its lifetime, then fetches a new one', async () => {
    const cache = new LinkCache()
    let n = 0
    const fetch = vi.fn(async () => link(++n, 900_000))
    expect((await cache.get('f', fetch)).url).toBe('u1')
    vi.advanceTimersByTime(224_000)
    expect((await cache.get('f', fetch)).url).toBe('u1')
    vi.advanceTimersByTime(2_000)
    expect((await cache.get('f', fetch)).url).toBe('u2')
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('reuses a link without expiry for one minute only', async () => {
    const cache = new LinkCache()
    let n = 0
    const fetch = async () => link(++n)
    await cache.get('f', fetch)
    vi.advanceTimersByTime(59_000)
    expect((await cache.get('f', fetch)).url).toBe('u1')
    vi.advanceTimersByTime(2_000)
    expect((await cache.get('f', fetch)).url).toBe('u2')
  })

  it('runs one fetch for concurrent misses of one file, separate fetches for different files', async () => {
    const cache = new LinkCache()
    let release!: (l: Link) => void
    const fetch = vi.fn(() => new Promise<Link>((r) => (release = r)))
    const a = cache.get('f', fetch)
    const b = cache.get('f', fetch)
    expect(fetch).toHaveBeenCalledTimes(1)
    release(link(1, 900_000))
    expect(await a).toBe(await b)
    const other = vi.fn(async () => link(9, 900_000))
    expect((await cache.get('g', other)).url).toBe('u9')
    expect(other).toHaveBeenCalledTimes(1)
  })

  it('does not cache a failed fetch', async () => {
    const cache = new LinkCache()
    await expect(cache.get('f', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect((await cache.get('f', async () => link(2, 900_000))).url).toBe('u2')
  })

  it('invalidate drops one file, clear drops all', async () => {
    const cache = new LinkCache()
    let n = 0
    const fetch = async () => link(++n, 900_000)
    await cache.get('f', fetch)
    await cache.get('g', fetch)
    cache.invalidate('f')
    expect((await cache.get('f', fetch)).url).toBe('u3')
    expect((await cache.get('g', fetch)).url).toBe('u2')
    cache.clear()
    expect((await cache.get('g', fetch)).url).toBe('u4')
  })
})
