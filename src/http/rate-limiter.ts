/**
 * Client-side rate limiting (docs/contract.md §4, docs/api-notes.md §5.1): per AliyunDrive user and class, shared by every driver instance
 * of that user in the process, enforced as *spacing* between calls (no bursts), like OpenList's token buckets of
 * 3.9 / 0.9 / 14.9 per second with a burst of 1. Waiters queue in order and can leave the queue when aborted.
 */
import { abortedError } from '../errors/index.js'
import type { RateLimits } from '../host/types.js'

export type LimitClass = keyof RateLimits

/** Just under the documented 4 / 1 / 15 per second, as OpenList runs (docs/api-notes.md §5.1). */
export const DEFAULT_LIMITS: RateLimits = { list: 3.9, link: 0.9, other: 14.9 }

interface Waiter {
  resolve: () => void
  reject: (e: unknown) => void
  signal?: AbortSignal
  onAbort?: () => void
}

export class SpacedBucket {
  private lastGrant = Number.NEGATIVE_INFINITY
  private readonly queue: Waiter[] = []
  private timer: NodeJS.Timeout | undefined

  constructor(private intervalMs: number) {}

  get perSecond(): number {
    return 1000 / this.intervalMs
  }

  /** Only ever slows down: two instances of one user with different settings share the stricter one. */
  tighten(perSecond: number): void {
    this.intervalMs = Math.max(this.intervalMs, 1000 / perSecond)
  }

  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortedError(signal))
    const now = Date.now()
    if (this.queue.length === 0 && now - this.lastGrant >= this.intervalMs) {
      this.lastGrant = now
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, ...(signal ? { signal } : {}) }
      if (signal) {
        waiter.onAbort = () => {
          const index = this.queue.indexOf(waiter)
          if (index >= 0) this.queue.splice(index, 1)
          reject(abortedError(signal))
        }
        signal.addEventListener('abort', waiter.onAbort, { once: true })
      }
      this.queue.push(waiter)
      this.schedule()
    })
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return
    const delay = Math.max(0, this.lastGrant + this.intervalMs - Date.now())
    this.timer = setTimeout(() => {
      this.timer = undefined
      const waiter = this.queue.shift()
      if (waiter) {
        if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort)
        this.lastGrant = Date.now()
        waiter.resolve()
      }
      this.schedule()
    }, delay)
  }

  /** Rejects everyone still waiting (the last user of the bucket dropped it). */
  close(reason: Error): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    for (const waiter of this.queue.splice(0)) {
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort)
      waiter.reject(reason)
    }
  }
}

export interface UserLimiter {
  acquire(cls: LimitClass, signal?: AbortSignal): Promise<void>
  /** The buckets' effective rates (requests per second), for display and tests. */
  rates(): RateLimits
  release(): void
}

interface Entry {
  refs: number
  buckets: Record<LimitClass, SpacedBucket>
}

const registry = new Map<string, Entry>()

/**
 * Takes a reference on the limiter set of `userKey` (an AliyunDrive user_id; '' is the process-wide set used during
 * init before the user is known, as OpenList does). Call `release()` once; the set is freed with its last reference.
 */
export function takeUserLimiter(userKey: string, limits: Partial<RateLimits> = {}): UserLimiter {
  const wanted: RateLimits = { ...DEFAULT_LIMITS, ...limits }
  for (const cls of Object.keys(wanted) as LimitClass[]) {
    if (!(wanted[cls] > 0))
      throw new RangeError(`rate limit for ${cls} must be a positive number of requests per second`)
  }
  let entry = registry.get(userKey)
  if (!entry) {
    entry = {
      refs: 0,
      buckets: {
        list: new SpacedBucket(1000 / wanted.list),
        link: new SpacedBucket(1000 / wanted.link),
        other: new SpacedBucket(1000 / wanted.other),
      },
    }
    registry.set(userKey, entry)
  } else {
    for (const cls of Object.keys(wanted) as LimitClass[]) entry.buckets[cls].tighten(wanted[cls])
  }
  entry.refs++
  const held = entry
  let released = false
  return {
    acquire: (cls, signal) => held.buckets[cls].acquire(signal),
    rates: () => ({
      list: held.buckets.list.perSecond,
      link: held.buckets.link.perSecond,
      other: held.buckets.other.perSecond,
    }),
    release: () => {
      if (released) return
      released = true
      held.refs--
      if (held.refs === 0 && registry.get(userKey) === held) {
        registry.delete(userKey)
        for (const bucket of Object.values(held.buckets)) bucket.close(new Error('rate limiter released'))
      }
    },
  }
}

/** Number of live limiter sets (for tests of `drop()`). */
export function liveLimiterCount(): number {
  return registry.size
}
