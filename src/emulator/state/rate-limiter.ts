/**
 * Token buckets per (user, app, class) (docs/api-notes.md §5.1, §5.3): list = openFile/list, link = openFile/getDownloadUrl,
 * other = everything else including the token call. Burst capacity 2 — OpenList spaces calls with a burst of 1, so a
 * small burst is tolerated but a client that does not pace itself is caught quickly.
 */
import type { RateLimits } from '../types.js'

export type RateClass = keyof RateLimits

export const DEFAULT_LIMITS: RateLimits = { list: 4, link: 1, other: 15 }
export const BURST = 2

interface Bucket {
  tokens: number
  lastMs: number
}

export class RateLimiter {
  private buckets = new Map<string, Bucket>()

  constructor(
    private limits: RateLimits | false,
    private readonly now: () => number,
  ) {}

  setLimits(limits: RateLimits | false): void {
    this.limits = limits
    this.buckets.clear()
  }

  /** The interval a forced 429 advertises: the spacing of the class, as a real bucket would. */
  retryHintMs(cls: RateClass): number {
    const rate = this.limits ? this.limits[cls] : DEFAULT_LIMITS[cls]
    return Math.ceil(1000 / rate)
  }

  /** Takes a token; returns undefined when allowed, else the milliseconds until one is available (`x-retry-after`). */
  take(userId: string, clientId: string, cls: RateClass): number | undefined {
    if (!this.limits) return undefined
    const rate = this.limits[cls]
    if (!(rate > 0)) return undefined
    const key = `${userId}\u0000${clientId}\u0000${cls}`
    const nowMs = this.now()
    let b = this.buckets.get(key)
    if (!b) {
      b = { tokens: BURST, lastMs: nowMs }
      this.buckets.set(key, b)
    }
    b.tokens = Math.min(BURST, b.tokens + ((nowMs - b.lastMs) * rate) / 1000)
    b.lastMs = nowMs
    if (b.tokens >= 1) {
      b.tokens -= 1
      return undefined
    }
    return Math.max(1, Math.ceil(((1 - b.tokens) * 1000) / rate))
  }
}
