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
import { retrying, type Backoff, type Verdict } from '../util/retry.js'
import { dataPut } from '../http/data-plane/index.js'
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

/** One PUT that did not store the part: its status (0 for no answer) and what went wrong, for the verdict. */
class PartAttemptFailure extends Error {
  constructor(
    readonly status: number,
    readonly apiCode: string | undefined,
  ) {
    super('part attempt failed')
  }
}

export async function sendPart(part: PlannedPart, body: PartBody, ctx: SendPartContext): Promise<PartOutcome> {
  const label = `part ${part.number} of ${ctx.count}`
  const length = part.end - part.start
  let refreshes = 0
  let attempts = 0
  let lastProblem = ''
  const attempt = async (): Promise<PartOutcome> => {
    attempts++
    const url = await ctx.urls.get(part.number, ctx.slowestPartMs, ctx.signal)
    // No part PUT starts after an abort (docs/contract.md §4).
    throwIfAborted(ctx.signal)
    let status: number
    let text = ''
    try {
      const res = await dataPut(url, body(), length, {
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
    if (status === 400 && parsed?.apiCode === 'PartNotSequential') return 'not-sequential'
    if (status)
      lastProblem = `HTTP ${status}${parsed?.apiCode ? ` ${parsed.apiCode}` : ''}${parsed?.message ? `: ${parsed.message}` : ''}`
    throw new PartAttemptFailure(status, parsed?.apiCode)
  }
  const giveUp = () =>
    new DriverError('UPLOAD_FAILED', `${label} could not be uploaded after ${attempts} attempts: ${lastProblem}`)
  const decide = async (error: unknown): Promise<Verdict> => {
    if (!(error instanceof PartAttemptFailure)) return { kind: 'stop' }
    const { status, apiCode } = error
    if (status === 403) {
      // An expired or refused part URL: fresh URLs from getUploadUrl, the same bytes again.
      if (++refreshes > ctx.policy.urlRefreshes) return { kind: 'stop', error: giveUp() }
      ctx.logger?.debug(`${label}: ${lastProblem}; getting fresh upload URLs`)
      await ctx.urls.refresh(part.number, ctx.signal)
      return { kind: 'again' }
    }
    if (!isRetryablePartStatus(status))
      return {
        kind: 'stop',
        error: new DriverError('UPLOAD_FAILED', `${label} was refused: ${lastProblem}`, {
          status,
          ...(apiCode ? { apiCode } : {}),
        }),
      }
    return { kind: 'backoff' }
  }
  return retrying(attempt, {
    policy: ctx.policy,
    decide,
    exhausted: giveUp,
    onRetry: ({ delayMs, verdict }) => {
      if (verdict === 'backoff') ctx.logger?.debug(`${label}: ${lastProblem}; retrying in ~${delayMs} ms`)
    },
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  })
}
