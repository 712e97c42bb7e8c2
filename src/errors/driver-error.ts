import { inspect } from 'node:util'
import type { ErrorCode } from './codes.js'
import { redact } from './redact.js'

export interface DriverErrorOptions {
  /** AliyunDrive's own code, e.g. `TooManyRequests`, or an OSS code such as `PartNotSequential`. */
  apiCode?: string
  status?: number
  requestId?: string
  cause?: unknown
  /** Milliseconds the server asked us to wait (`x-retry-after`), kept for the retry policy. */
  retryAfterMs?: number
}

/**
 * The one error class of the package (docs/contract.md §3). Callers branch on `code`. The message, `cause` and whatever
 * `util.inspect` shows are redacted: `cause` is reduced to a plain Error carrying only a redacted name and message,
 * so an axios error (which holds request headers, i.e. the bearer token) never hangs off a DriverError.
 */
export class DriverError extends Error {
  override readonly name = 'DriverError'
  readonly code: ErrorCode
  readonly apiCode?: string
  readonly status?: number
  readonly requestId?: string
  readonly retryAfterMs?: number
  override readonly cause?: Error

  constructor(code: ErrorCode, message: string, options: DriverErrorOptions = {}) {
    super(redact(message))
    this.code = code
    if (options.apiCode !== undefined) this.apiCode = options.apiCode
    if (options.status !== undefined) this.status = options.status
    if (options.requestId !== undefined) this.requestId = options.requestId
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs
    if (options.cause !== undefined) this.cause = sanitizeCause(options.cause)
    if (this.stack) this.stack = redact(this.stack)
  }

  [inspect.custom](): string {
    const fields: Record<string, unknown> = { code: this.code }
    if (this.apiCode) fields.apiCode = this.apiCode
    if (this.status) fields.status = this.status
    if (this.requestId) fields.requestId = this.requestId
    const cause = this.cause ? `\n  [cause]: ${this.cause.name}: ${this.cause.message}` : ''
    return `${this.stack ?? `${this.name}: ${this.message}`} ${inspect(fields)}${cause}`
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      apiCode: this.apiCode,
      status: this.status,
      requestId: this.requestId,
    }
  }
}

function sanitizeCause(cause: unknown): Error {
  if (cause instanceof DriverError) return cause
  const plain = new Error(redact(cause instanceof Error ? cause.message : String(cause)))
  plain.name = cause instanceof Error ? cause.name : 'Error'
  const code = (cause as { code?: unknown } | null)?.code
  if (typeof code === 'string') (plain as Error & { code?: string }).code = code
  plain.stack = `${plain.name}: ${plain.message}`
  return plain
}

export function isDriverError(e: unknown): e is DriverError {
  return e instanceof DriverError
}

/** The error for a caller's fired AbortSignal. */
export function abortedError(signal?: AbortSignal): DriverError {
  const reason: unknown = signal?.reason
  // The reason is whatever the caller passed to abort(): an Error shows its message, a string or number itself.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  const why = reason instanceof Error ? reason.message : reason ? String(reason) : 'the operation was aborted'
  return new DriverError('ABORTED', `Aborted: ${why}`, { cause: reason })
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortedError(signal)
}
