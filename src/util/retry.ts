/**
 * The retry vocabulary every loop speaks (the request path, the token exchange, the part upload, the async-task poll):
 * - a policy is data, `Backoff`: how many retries after the first attempt, and the exponential schedule between them;
 * - `backoffDelay` is that schedule (min·2^(n−1), capped), the same for every loop;
 * - `waitToRetry` waits a delay plus jitter, so clients told the same wait do not return in lockstep, and stops
 *   waiting (ABORTED) the moment the caller's signal fires.
 * When a repeat may succeed is one list too: src/http/retryable.ts.
 */
import { sleep, withJitter } from './sleep.js'

export interface Backoff {
  /** Repeats after the first attempt. */
  retries: number
  /** The wait before the first repeat; each later one doubles, up to `maxDelayMs`. */
  minDelayMs: number
  maxDelayMs: number
}

/** The wait before repeat number `retry` (1-based) under `policy`, before jitter. */
export function backoffDelay(policy: Pick<Backoff, 'minDelayMs' | 'maxDelayMs'>, retry: number): number {
  return Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** Math.max(0, retry - 1))
}

/** Waits `ms` plus jitter; rejects with ABORTED as soon as `signal` fires. */
export function waitToRetry(ms: number, signal?: AbortSignal): Promise<void> {
  return sleep(withJitter(ms), signal)
}
