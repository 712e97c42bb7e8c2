/**
 * The one retry loop every repeat in the driver goes through (the request path, the token exchange, the part upload,
 * the async-task poll). What differs between them is data and one decision function:
 * - `Backoff`, the policy: how many back-off repeats after the first attempt, the exponential schedule between them
 *   (min·2^(n−1), capped), and optionally a deadline for the whole loop;
 * - `decide`, which turns a failure into a `Verdict`: stop, back off (counted against `retries`), wait what the server
 *   said (counted by the caller, which alone knows its budget for those), or repeat at once after renewing something
 *   (a token, a part's upload URL).
 * Every wait adds jitter, so clients told the same wait do not return in lockstep, and ends (ABORTED) the moment the
 * loop's signal fires. The signal is looked at only between attempts: an attempt that completed is never thrown away,
 * which matters for a token exchange (a rotated refresh token dropped on the floor locks the user out,
 * docs/api-notes.md §2.1). When a repeat may succeed at all is one list: src/http/retryable.ts.
 */
import { throwIfAborted } from '../errors/index.js'
import { sleep, withJitter } from './sleep.js'

export interface Backoff {
  /** Back-off repeats after the first attempt (Infinity with a `deadlineMs`). */
  retries: number
  /** The wait before the first repeat; each later one doubles, up to `maxDelayMs`. */
  minDelayMs: number
  maxDelayMs: number
  /** No repeat is started whose wait would end later than this after the loop began. */
  deadlineMs?: number
}

export type Verdict =
  /** Give up: throw `error` if given, else the failure itself. */
  | { kind: 'stop'; error?: unknown }
  /** Wait on the schedule (or `toldMs` when the server named a wait, capped at `maxDelayMs`); uses up one repeat. */
  | { kind: 'backoff'; toldMs?: number }
  /** Wait what the server said, not counted against `retries`; the caller bounds how often it says so. */
  | { kind: 'wait'; ms: number }
  /** Repeat at once: the caller has renewed what the attempt lacked. */
  | { kind: 'again' }

export interface RetryLoop {
  policy: Backoff
  decide: (error: unknown) => Verdict | Promise<Verdict>
  /** What to throw when the back-off repeats or the deadline run out (default: the last failure). */
  exhausted?: (error: unknown, attempts: number) => unknown
  /** Told before each wait, for logs and counters. */
  onRetry?: (info: { error: unknown; delayMs: number; attempt: number; verdict: Verdict['kind'] }) => void
  signal?: AbortSignal
}

/** The wait before back-off repeat number `retry` (1-based) under `policy`, before jitter. */
export function backoffDelay(policy: Pick<Backoff, 'minDelayMs' | 'maxDelayMs'>, retry: number): number {
  return Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** Math.max(0, retry - 1))
}

/** Waits `ms` plus jitter; rejects with ABORTED as soon as `signal` fires. */
export function waitToRetry(ms: number, signal?: AbortSignal): Promise<void> {
  return sleep(withJitter(ms), signal)
}

/** Runs `attempt` until it succeeds or `loop.decide` (or the policy) says to give up. */
export async function retrying<T>(attempt: (n: number) => Promise<T>, loop: RetryLoop): Promise<T> {
  const { policy, signal } = loop
  const started = Date.now()
  let backoffs = 0
  for (let n = 1; ; n++) {
    throwIfAborted(signal)
    try {
      return await attempt(n)
    } catch (error) {
      const verdict = await loop.decide(error)
      if (verdict.kind === 'stop') throw verdict.error ?? error
      let delayMs = 0
      if (verdict.kind === 'backoff') {
        if (++backoffs > policy.retries) throw loop.exhausted ? loop.exhausted(error, n) : error
        delayMs = Math.min(policy.maxDelayMs, verdict.toldMs ?? backoffDelay(policy, backoffs))
      } else if (verdict.kind === 'wait') {
        delayMs = verdict.ms
      }
      if (policy.deadlineMs !== undefined && Date.now() - started + delayMs > policy.deadlineMs)
        throw loop.exhausted ? loop.exhausted(error, n) : error
      loop.onRetry?.({ error, delayMs, attempt: n, verdict: verdict.kind })
      if (delayMs > 0) await waitToRetry(delayMs, signal)
    }
  }
}
