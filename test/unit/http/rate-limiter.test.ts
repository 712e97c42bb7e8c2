import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { liveLimiterCount, takeUserLimiter } from '../../../src/http/rate-limiter.js'

/** Grants per class measured over 10 simulated seconds with fake timers: the limiter is exact, not sampled. */
async function grantsIn(ms: number, acquire: () => Promise<void>, concurrency = 50): Promise<number[]> {
  const times: number[] = []
  const start = Date.now()
  let stop = false
  const worker = async () => {
    while (!stop) {
      // Leftover waiters are rejected when the test releases the limiter: that ends the worker.
      if (
        !(await acquire().then(
          () => true,
          () => false,
        )) ||
        stop
      )
        return
      times.push(Date.now() - start)
    }
  }
  const workers = Array.from({ length: concurrency }, worker)
  await vi.advanceTimersByTimeAsync(ms)
  stop = true
  void workers
  return times.filter((t) => t < ms)
}

describe('per-user rate limiter', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it.each([
    ['list', 3.9],
    ['link', 0.9],
    ['other', 14.9],
  ] as const)('spaces %s calls at %d/s with no burst', async (cls, rate) => {
    const limiter = takeUserLimiter(`user-${cls}`)
    const times = await grantsIn(10_000, () => limiter.acquire(cls))
    expect(times.length).toBe(Math.floor(10 * rate) + 1)
    const gaps = times.slice(1).map((t, i) => t - times[i]!)
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(Math.floor(1000 / rate))
    limiter.release()
  })

  it('is shared by every instance of one user and separate between users', async () => {
    const a1 = takeUserLimiter('shared-user')
    const a2 = takeUserLimiter('shared-user')
    const b = takeUserLimiter('other-user')
    const shared = await grantsIn(2_000, () => (Math.random() < 0.5 ? a1 : a2).acquire('list'))
    expect(shared.length).toBe(8) // 3.9/s over 2 s, starting at 0: one combined budget
    const alone = await grantsIn(2_000, () => b.acquire('list'))
    expect(alone.length).toBe(8)
    a1.release()
    a2.release()
    b.release()
  })

  it('honours host.limits overrides and keeps the stricter of two settings', () => {
    const fast = takeUserLimiter('tuned', { list: 100 })
    expect(fast.rates().list).toBeCloseTo(100)
    const slow = takeUserLimiter('tuned', { list: 2 })
    expect(fast.rates().list).toBeCloseTo(2)
    fast.release()
    slow.release()
    expect(() => takeUserLimiter('bad', { link: 0 })).toThrow(/link must be a positive/)
  })

  it('lets an aborted waiter leave the queue without taking a slot', async () => {
    const limiter = takeUserLimiter('abort-user')
    await limiter.acquire('link') // t=0
    const ac = new AbortController()
    const aborted = limiter.acquire('link', ac.signal)
    const next = limiter.acquire('link')
    ac.abort()
    await expect(aborted).rejects.toMatchObject({ code: 'ABORTED' })
    let granted = false
    void next.then(() => (granted = true))
    await vi.advanceTimersByTimeAsync(1_112)
    expect(granted).toBe(true) // the aborted waiter's slot went to the next one
    limiter.release()
  })

  it('is freed with its last reference, and release is idempotent', () => {
    const before = liveLimiterCount()
    const l1 = takeUserLimiter('refcount')
    const l2 = takeUserLimiter('refcount')
    expect(liveLimiterCount()).toBe(before + 1)
    l1.release()
    l1.release()
    expect(liveLimiterCount()).toBe(before + 1)
    l2.release()
    expect(liveLimiterCount()).toBe(before)
  })
})
