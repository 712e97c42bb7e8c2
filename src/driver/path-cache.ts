/**
 * path → Obj for objects the driver has already seen (architecture: rclone's dircache), so resolving '/a/b/c' does
 * not re-list every parent. Any write drops the affected subtree, so a stale id is never used.
 */
import type { Obj } from '../host/types.js'
import { isWithin } from '../paths/mount-path.js'

/** Short, because other clients change the drive behind our back; writes through us invalidate at once. */
const TTL_MS = 30_000
const MAX_ENTRIES = 50_000

export class PathCache {
  private readonly entries = new Map<string, { obj: Obj; at: number }>()

  get(path: string): Obj | undefined {
    const hit = this.entries.get(path)
    if (!hit) return undefined
    if (Date.now() - hit.at > TTL_MS) {
      this.entries.delete(path)
      return undefined
    }
    return hit.obj
  }

  set(obj: Obj): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear()
    this.entries.set(obj.path, { obj, at: Date.now() })
  }

  /** Drops `path` and everything below it. */
  invalidate(path: string): void {
    for (const key of this.entries.keys()) if (isWithin(key, path)) this.entries.delete(key)
  }

  clear(): void {
    this.entries.clear()
  }
}
