/**
 * Directory listings kept for a few seconds (docs/peers-and-pains.md #12): OpenList re-lists after every write and WebDAV
 * clients PROPFIND the same folder repeatedly, while AliyunDrive allows about 4 list calls per second. Writes through
 * this server invalidate the folders they touch at once; the TTL only bounds staleness from changes made elsewhere.
 * Concurrent misses for one folder share one upstream listing.
 */
import type { Obj } from '../host/types.js'
import { isWithin } from './safe-path.js'

export class ListCache {
  private readonly entries = new Map<string, { children: Obj[]; at: number }>()
  private readonly inflight = new Map<string, Promise<Obj[]>>()
  /** Bumped on every invalidation, so a listing that started before a write is not cached after it. */
  private generation = 0

  constructor(private readonly ttlMs: number) {}

  async get(path: string, load: () => Promise<Obj[]>, refresh = false): Promise<Obj[]> {
    if (!refresh) {
      const hit = this.peek(path)
      if (hit) return hit
      const pending = this.inflight.get(path)
      if (pending) return pending
    }
    const gen = this.generation
    const p = load()
      .then((children) => {
        if (gen === this.generation && this.ttlMs > 0) this.entries.set(path, { children, at: Date.now() })
        return children
      })
      .finally(() => {
        if (this.inflight.get(path) === p) this.inflight.delete(path)
      })
    this.inflight.set(path, p)
    return p
  }

  /** A fresh cached listing, or undefined. */
  peek(path: string): Obj[] | undefined {
    const hit = this.entries.get(path)
    if (!hit) return undefined
    if (Date.now() - hit.at > this.ttlMs) {
      this.entries.delete(path)
      return undefined
    }
    return hit.children
  }

  /** Drops the listing of `dir` only. */
  invalidate(dir: string): void {
    this.generation++
    this.entries.delete(dir)
    this.inflight.delete(dir)
  }

  /** Drops `path` and every listing below it (after a folder moved or was removed). */
  invalidateTree(path: string): void {
    this.generation++
    for (const key of [...this.entries.keys()]) if (isWithin(key, path)) this.entries.delete(key)
    for (const key of [...this.inflight.keys()]) if (isWithin(key, path)) this.inflight.delete(key)
  }
}
