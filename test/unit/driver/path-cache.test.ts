import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PathCache } from '../../../src/driver/path-cache.js'
import type { Obj } from '../../../src/host/types.js'

const obj = (path: string): Obj => ({
  id: `id:${path}`,
  path,
  name: path.slice(path.lastIndexOf('/') + 1),
  size: 0,
  isFolder: true,
  modified: new Date(0),
  created: new Date(0),
  hashes: {},
})

describe('PathCache', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(Date.parse('2026-01-01T00:00:00Z'))
  })
  afterEach(() => vi.useRealTimers())

  it('returns what was set, keyed by path (unicode included)', () => {
    const cache = new PathCache()
    cache.set(obj('/文档/a'))
    expect(cache.get('/文档/a')?.id).toBe('id:/文档/a')
    expect(cache.get('/文档')).toBeUndefined()
  })

  it('expires entries after 30 s', () => {
    const cache = new PathCache()
    cache.set(obj('/a'))
    vi.advanceTimersByTime(30_000)
    expect(cache.get('/a')).toBeDefined()
    vi.advanceTimersByTime(1)
    expect(cache.get('/a')).toBeUndefined()
  })

  it('invalidate drops the path and its subtree but not a sibling sharing the prefix', () => {
    const cache = new PathCache()
    for (const p of ['/a', '/a/b', '/a/b/c', '/ab', '/z']) cache.set(obj(p))
    cache.invalidate('/a')
    expect(cache.get('/a')).toBeUndefined()
    expect(cache.get('/a/b')).toBeUndefined()
    expect(cache.get('/a/b/c')).toBeUndefined()
    expect(cache.get('/ab')).toBeDefined()
    expect(cache.get('/z')).toBeDefined()
  })

  it('invalidating "/" drops everything', () => {
    const cache = new PathCache()
    for (const p of ['/', '/a', '/a/b']) cache.set(obj(p))
    cache.invalidate('/')
    for (const p of ['/', '/a', '/a/b']) expect(cache.get(p)).toBeUndefined()
  })

  it('clear drops everything', () => {
    const cache = new PathCache()
    cache.set(obj('/a'))
    cache.clear()
    expect(cache.get('/a')).toBeUndefined()
  })
})
