/** Small statistics and timing helpers: every reported time is the median of several runs. */

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now()
  const value = await fn()
  return { ms: performance.now() - t0, value }
}

/** Runs `fn` `n` times in sequence and returns every result (so callers can take medians of several fields). */
export async function repeat<T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < n; i++) out.push(await fn(i))
  return out
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export const MiB = 1024 * 1024
export const GiB = 1024 * MiB
export const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`
export const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`
export const rate = (bytes: number, ms: number) => `${(bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s`
