/**
 * A storage's space figures (the driver's `details()`, getSpaceInfo upstream), reused for a while with concurrent
 * askers sharing one call. WebDAV's RFC 4331 quota properties are asked on every PROPFIND of the root (Finder,
 * rclone mounts for `df`), and the folder listing above several mounts carries each mount's figures
 * (docs/host-notes.md §8), while each answer costs an upstream call.
 */
import type { StorageDetails } from '../host/types.js'

export const QUOTA_TTL_MS = 30_000

export class QuotaCache {
  private cached: { at: number; value: Promise<StorageDetails> } | undefined

  constructor(
    private readonly load: () => Promise<StorageDetails>,
    private readonly ttlMs = QUOTA_TTL_MS,
  ) {}

  get(): Promise<StorageDetails> {
    const now = Date.now()
    if (!this.cached || now - this.cached.at > this.ttlMs) {
      const value = this.load()
      this.cached = { at: now, value }
      // A failed call is not cached: the next asker tries again.
      value.catch(() => {
        if (this.cached?.value === value) this.cached = undefined
      })
    }
    return this.cached.value
  }

  /** Writes through this server change the used space; the next asker reloads. */
  invalidate(): void {
    this.cached = undefined
  }
}
