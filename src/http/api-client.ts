/**
 * The one path every AliyunDrive API call takes:
 *   access token → rate limiter → axios → error mapping → retry decision (the shared loop, src/util/retry.ts).
 * - Auth errors (AccessTokenInvalid / AccessTokenExpired / I400JD): refresh once (single-flight), repeat once.
 * - 429 TooManyRequests: wait `x-retry-after` ms plus jitter, repeat; bounded; does not use the 5xx budget.
 * - 5xx and network errors: exponential back-off with jitter, bounded, on idempotent endpoints only.
 * - A failure to get a token is final here: the token manager has already repeated its exchange (src/auth/token-manager.ts),
 *   and repeating it again from here would multiply its attempts.
 * - Every wait is abortable; the caller's abort becomes DriverError ABORTED.
 * The body may be a function of the access token, so a body that embeds a proof of the token (rapid upload's
 * proof_code, docs/api-notes.md §6.6) is rebuilt with the token that actually sends each attempt.
 */
import axios, { type AxiosInstance } from 'axios'
import type { z } from 'zod'
import { DriverError, abortedError, isDriverError, mapHttpFailure, networkError } from '../errors/index.js'
import type { Logger } from '../host/types.js'
import { endpointLabel, type Endpoint } from './endpoint.js'
import { parseRetryAfterMs } from './retry-after.js'
import { isRetryableApiStatus } from './retryable.js'
import { retrying, type Backoff, type Verdict } from '../util/retry.js'
import type { LimitClass } from './rate-limiter.js'
import { USER_AGENT } from './user-agent.js'

export interface TokenSource {
  /** A usable access token, refreshing first if there is none or it has expired. */
  accessToken(signal?: AbortSignal): Promise<string>
  /** Refreshes unless the token has already moved on from `staleToken`; returns the token to use next. */
  refresh(staleToken: string, signal?: AbortSignal): Promise<string>
}

/** `retries`: repeats after 5xx / network errors on idempotent calls, on the `Backoff` schedule. */
export interface RetryPolicy extends Backoff {
  /** Repeats after 429 (each after waiting what the server said). */
  rateLimitRetries: number
  /** Longest single server-requested wait we accept before giving up with RATE_LIMITED. */
  maxRetryAfterMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 3,
  minDelayMs: 500,
  maxDelayMs: 8_000,
  rateLimitRetries: 6,
  maxRetryAfterMs: 60_000,
}

/** The codes after which OpenList refreshes the token and repeats once (docs/api-notes.md §2.4). */
export const TOKEN_ERROR_CODES = new Set(['AccessTokenInvalid', 'AccessTokenExpired', 'I400JD'])

export interface ApiClientOptions {
  baseUrl: string
  tokens: TokenSource
  acquire: (cls: LimitClass, signal?: AbortSignal) => Promise<void>
  logger?: Logger
  retry?: Partial<RetryPolicy>
  /** Per-request timeout; AliyunDrive answers API calls in well under a second, OpenList uses 30 s. */
  timeoutMs?: number
  http?: AxiosInstance
}

export interface CallOptions {
  signal?: AbortSignal
}

export type Body = Record<string, unknown> | ((accessToken: string) => Record<string, unknown>)

export class ApiClient {
  private readonly http: AxiosInstance
  private readonly policy: RetryPolicy
  /** Counters for tests and the CLI's --debug: how many calls, retries and refreshes happened. */
  readonly stats = { calls: 0, retries: 0, rateLimited: 0, tokenRetries: 0 }

  constructor(private readonly options: ApiClientOptions) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry }
    this.http =
      options.http ??
      axios.create({
        baseURL: options.baseUrl,
        timeout: options.timeoutMs ?? 30_000,
        // We read every status ourselves: errors must be mapped from their bodies, not from axios' exception.
        validateStatus: () => true,
        responseType: 'text',
        transformResponse: [(data: unknown) => data],
        maxRedirects: 0,
      })
  }

  async call<S extends z.ZodType>(
    endpoint: Endpoint,
    body: Body,
    schema: S,
    opts: CallOptions = {},
  ): Promise<z.output<S>> {
    const label = endpointLabel(endpoint)
    const { signal } = opts
    let refreshedWith: string | undefined
    let rateLimitedCount = 0
    let usedToken = ''
    // Set once an attempt may have been applied without us hearing (dropped answer, 5xx).
    let outcomeUnknown = false
    // A failure to get a token has been retried by the token manager's own loop already: never again here.
    let tokenFailed = false
    const attempt = async (): Promise<z.output<S>> => {
      // Token first, slot second: a refresh takes its own slot, and a slot taken before it would be spent late,
      // putting two requests back to back at the server (seen as 429s under real limits).
      tokenFailed = true
      usedToken = await this.options.tokens.accessToken(signal)
      tokenFailed = false
      await this.options.acquire(endpoint.cls, signal)
      const payload = typeof body === 'function' ? body(usedToken) : body
      try {
        return await this.send(endpoint, label, payload, usedToken, schema, signal)
      } catch (e) {
        if (outcomeUnknown && isDriverError(e) && e.apiCode && endpoint.doneOnRepeat?.has(e.apiCode)) {
          this.options.logger?.debug(`${label}: ${e.apiCode} on a repeat after a lost answer: the first attempt did it`)
          return schema.parse({})
        }
        if (isDriverError(e) && isTransient(e)) outcomeUnknown = true
        throw e
      }
    }
    const decide = async (error: unknown): Promise<Verdict> => {
      if (tokenFailed || !isDriverError(error)) return { kind: 'stop' }
      if (error.apiCode && TOKEN_ERROR_CODES.has(error.apiCode)) {
        // One refresh and one repeat per call (docs/contract.md §4); a second token error is final.
        if (refreshedWith !== undefined) return { kind: 'stop', error: unauthorized(label, error) }
        refreshedWith = usedToken
        this.stats.tokenRetries++
        await this.options.tokens.refresh(usedToken, signal)
        return { kind: 'again' }
      }
      if (error.code === 'RATE_LIMITED' && error.status === 429) {
        rateLimitedCount++
        this.stats.rateLimited++
        const wait = error.retryAfterMs ?? 1000
        if (rateLimitedCount > this.policy.rateLimitRetries || wait > this.policy.maxRetryAfterMs)
          return { kind: 'stop', error: stillRateLimited(label, rateLimitedCount, error) }
        this.options.logger?.debug(`${label}: 429, waiting ${wait} ms as told by x-retry-after`)
        return { kind: 'wait', ms: wait }
      }
      return isTransient(error) && endpoint.idempotent ? { kind: 'backoff' } : { kind: 'stop' }
    }
    const onRetry = ({ verdict }: { verdict: Verdict['kind'] }) => {
      if (verdict === 'backoff') this.stats.retries++
    }
    try {
      return await retrying(attempt, { policy: this.policy, decide, onRetry, ...(signal ? { signal } : {}) })
    } catch (e) {
      if (signal?.aborted) throw abortedError(signal)
      if (isDriverError(e)) throw e
      throw new DriverError('UPSTREAM', `${label} failed: ${(e as Error)?.message ?? String(e)}`, { cause: e })
    }
  }

  private async send<S extends z.ZodType>(
    endpoint: Endpoint,
    label: string,
    payload: Record<string, unknown>,
    token: string,
    schema: S,
    signal?: AbortSignal,
  ): Promise<z.output<S>> {
    this.stats.calls++
    const started = Date.now()
    let response
    try {
      response = await this.http.post(endpoint.path, JSON.stringify(payload), {
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'User-Agent': USER_AGENT },
        ...(signal ? { signal } : {}),
      })
    } catch (e) {
      if (signal?.aborted) throw abortedError(signal)
      throw networkError(label, e)
    }
    const status = response.status
    this.options.logger?.debug(`POST ${label} → ${status} in ${Date.now() - started} ms`)
    const text = typeof response.data === 'string' ? response.data : ''
    if (status < 200 || status >= 300) {
      const retryAfterMs = parseRetryAfterMs(response.headers)
      throw mapHttpFailure({
        status,
        body: text,
        operation: label,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      })
    }
    let json: unknown
    try {
      json = text === '' ? {} : JSON.parse(text)
    } catch {
      throw mapHttpFailure({ status, body: text, operation: label })
    }
    const parsed = schema.safeParse(json)
    if (parsed.success) return parsed.data
    // An error body with HTTP 200 (OpenList would miss it: docs/api-notes.md §1.3); we do not.
    const code = (json as { code?: unknown } | null)?.code
    if (typeof code === 'string' && code) throw mapHttpFailure({ status: 400, body: json, operation: label })
    const where = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
      .join('; ')
    throw new DriverError('UPSTREAM', `${label} returned a malformed response (${where})`, { status })
  }
}

/** 5xx, network, and malformed answers are worth repeating; a 4xx with a business code is not. */
function isTransient(error: DriverError): boolean {
  if (error.code === 'NETWORK') return true
  if (error.code !== 'UPSTREAM') return false
  const status = error.status
  // A 2xx that did not parse (truncated JSON, a captive portal's HTML) says nothing about the request: repeat it.
  return isRetryableApiStatus(status) || (status !== undefined && status >= 200 && status < 300 && !error.apiCode)
}

function stillRateLimited(label: string, waits: number, error: DriverError): DriverError {
  return new DriverError('RATE_LIMITED', `${label} is still rate limited after ${waits} waits as told by AliyunDrive`, {
    apiCode: error.apiCode ?? 'TooManyRequests',
    status: 429,
    ...(error.requestId ? { requestId: error.requestId } : {}),
  })
}

function unauthorized(label: string, error: DriverError): DriverError {
  return new DriverError(
    'UNAUTHORIZED',
    `${label} was refused with ${error.apiCode} even after refreshing the access token; re-authorize the app and update the refresh token`,
    { ...(error.apiCode ? { apiCode: error.apiCode } : {}), ...(error.status ? { status: error.status } : {}) },
  )
}
