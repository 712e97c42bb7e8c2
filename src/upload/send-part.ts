/**
 * Sending one part until it is stored (docs/api-notes.md §6.3), deciding per answer:
 * - 200: stored; 409 (PartAlreadyExist): stored by an earlier attempt whose answer was lost → success;
 * - 403 (AccessDenied "Request has expired", or a signature problem): fresh URLs from getUploadUrl, same bytes again;
 * - 400 PartNotSequential: the caller resynchronises from listUploadedParts (docs/peers-and-pains.md #13);
 * - 5xx, 408, 429 and network errors: exponential back-off with jitter, bounded;
 * - anything else: UPLOAD_FAILED naming the part.
 */
import { DriverError, abortedError, isDriverError, parseErrorBody, throwIfAborted } from '../errors/index.js'
import type { Logger } from '../host/types.js'
import { isRetryablePartStatus } from '../http/retryable.js'
import { backoffDelay, waitToRetry, type Backoff } from '../util/retry.js'
import { putPart } from './data-plane/put-part.js'
import type { PlannedPart } from './part-plan.js'
import type { PartUrls } from './part-urls.js'

/** `retries`: repeats after 5xx / 408 / 429 / network errors, per part, on the `Backoff` schedule. */
export interface PartRetryPolicy extends Backoff {
  /** URL refreshes after 403, per part. */
  urlRefreshes: number
  idleTimeoutMs: number
}

export const DEFAULT_PART_RETRY: PartRetryPolicy = {
  retries: 4,
  minDelayMs: 1_000,
  maxDelayMs: 16_000,
  urlRefreshes: 3,
  idleTimeoutMs: 120_000,
}

export type PartOutcome = 'stored' | 'not-sequential'

export interface SendPartContext {
  urls: PartUrls
  policy: PartRetryPolicy
  count: number
  signal?: AbortSignal
  logger?: Logger
  /** Longest part so far, for the URL expiry margin. */
  slowestPartMs: number
  onWritten: (written: number) => void
}

export type PartBody = () => AsyncIterable<Uint8Array> | Iterable<Uint8Array>

export async function sendPart(part: PlannedPart, body: PartBody, ctx: SendPartContext): Promise<PartOutcome> {
  const label = `part ${part.number} of ${ctx.count}`
  const length = part.end - part.start
  let failures = 0
  let refreshes = 0
  let lastProblem = ''
  for (;;) {
    // No part PUT starts after an abort (docs/contract.md §4).
    throwIfAborted(ctx.signal)
    const url = await ctx.urls.get(part.number, ctx.slowestPartMs, ctx.signal)
    throwIfAborted(ctx.signal)
    let status: number
    let text = ''
    try {
      const res = await putPart(url, body(), length, {
        label,
        onWritten: ctx.onWritten,
        idleTimeoutMs: ctx.policy.idleTimeoutMs,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      })
      status = res.status
      text = res.body
      if (status >= 200 && status < 300 && res.written !== length) {
        status = 0
        lastProblem = `only ${res.written} of ${length} bytes were sent before the server answered`
      }
    } catch (e) {
      if (ctx.signal?.aborted) throw abortedError(ctx.signal)
      if (isDriverError(e) && e.code !== 'NETWORK') throw e // the source misbehaved: retrying cannot help
      status = 0
      lastProblem = (e as Error)?.message ?? String(e)
    }
    if (status >= 200 && status < 300) return 'stored'
    if (status === 409) return 'stored' // PartAlreadyExist: an earlier attempt got through
    const parsed = status ? parseErrorBody(text) : undefined
    if (status)
      lastProblem = `HTTP ${status}${parsed?.apiCode ? ` ${parsed.apiCode}` : ''}${parsed?.message ? `: ${parsed.message}` : ''}`
    if (status === 403) {
      if (++refreshes > ctx.policy.urlRefreshes) break
      ctx.logger?.debug(`${label}: ${lastProblem}; getting fresh upload URLs`)
      await ctx.urls.refresh(part.number, ctx.signal)
      continue
    }
    if (status === 400 && parsed?.apiCode === 'PartNotSequential') return 'not-sequential'
    if (!isRetryablePartStatus(status)) {
      throw new DriverError('UPLOAD_FAILED', `${label} was refused: ${lastProblem}`, {
        status,
        ...(parsed?.apiCode ? { apiCode: parsed.apiCode } : {}),
      })
    }
    if (++failures > ctx.policy.retries) break
    const delay = backoffDelay(ctx.policy, failures)
    ctx.logger?.debug(`${label}: ${lastProblem}; retry ${failures}/${ctx.policy.retries} in ~${delay} ms`)
    await waitToRetry(delay, ctx.signal)
  }
  throw new DriverError(
    'UPLOAD_FAILED',
    `${label} could not be uploaded after ${failures + refreshes + 1} attempts: ${lastProblem}`,
  )
}
