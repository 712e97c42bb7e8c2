/**
 * Maps whatever came back from AliyunDrive (JSON `{code, message, requestId}`, OSS XML, a gateway's HTML, plain text)
 * to a DriverError. The JSON code wins over the HTTP status; the status decides when there is no code (docs/api-notes.md §1.3, §4).
 */
import type { ErrorCode } from './codes.js'
import { DriverError } from './driver-error.js'

/** AliyunDrive codes whose meaning is fixed, by exact code (docs/api-notes.md §4.2). */
const EXACT: Record<string, ErrorCode> = {
  AccessTokenInvalid: 'UNAUTHORIZED',
  AccessTokenExpired: 'UNAUTHORIZED',
  I400JD: 'UNAUTHORIZED',
  RefreshTokenExpired: 'UNAUTHORIZED',
  RefreshTokenInvalid: 'UNAUTHORIZED',
  InvalidClientId: 'UNAUTHORIZED',
  InvalidClientSecret: 'UNAUTHORIZED',
  AppNotExists: 'UNAUTHORIZED',
  InvalidCode: 'UNAUTHORIZED',
  InvalidGrantType: 'UNAUTHORIZED',
  PermissionDenied: 'FORBIDDEN',
  TooManyRequests: 'RATE_LIMITED',
  ParamFlowException: 'RATE_LIMITED',
  ExceedMaxConcurrency: 'RATE_LIMITED',
  ExceedCapacityForbidden: 'QUOTA_EXCEEDED',
  PartAlreadyExist: 'ALREADY_EXISTS',
  // Not a name conflict: the rapid-upload pre-check matched (docs/api-notes.md §6.5). The upload module branches on apiCode;
  // any other caller that sees it gets a retry-free UPLOAD_FAILED rather than a misleading ALREADY_EXISTS.
  PreHashMatched: 'UPLOAD_FAILED',
  PartNotSequential: 'UPLOAD_FAILED',
  InternalError: 'UPSTREAM',
  ServiceUnavailable: 'UPSTREAM',
}

/** Code families, by prefix. */
const PREFIXES: Array<[string, ErrorCode]> = [
  ['NotFound', 'NOT_FOUND'],
  ['AlreadyExist', 'ALREADY_EXISTS'],
  ['QuotaExhausted', 'QUOTA_EXCEEDED'],
  ['Forbidden', 'FORBIDDEN'],
  ['UserNotAllowedAccess', 'FORBIDDEN'],
  ['InvalidParameter', 'UPSTREAM'],
]

const BY_STATUS: Record<number, ErrorCode> = {
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  413: 'UPLOAD_FAILED',
  429: 'RATE_LIMITED',
}

/** Plain-language explanations for the codes users meet most (docs/peers-and-pains.md §2). */
const HINTS: Record<string, string> = {
  TooManyRequests: 'AliyunDrive rate limit hit; the driver already waited as told and retried',
  ExceedCapacityForbidden: 'the drive is over its capacity: free space or expand it before downloading or playing',
  UserNotAllowedAccessResource: 'AliyunDrive blocked access to this resource (account or file flagged)',
  PermissionDenied: 'the authorization was revoked or lacks a scope: re-authorize the app',
  ForbiddenFileInTheRecycleBin: 'the file is in the recycle bin',
  ExceedMaxConcurrency: 'too many concurrent downloads for this account (AliyunDrive allows about 3)',
}

export function apiCodeToErrorCode(apiCode: string | undefined, status: number | undefined): ErrorCode {
  if (apiCode) {
    const exact = EXACT[apiCode]
    if (exact) return exact
    for (const [prefix, code] of PREFIXES) if (apiCode.startsWith(prefix)) return code
    if (apiCode.includes('QuotaExhausted') || apiCode.includes('ExceedCapacity')) return 'QUOTA_EXCEEDED'
  }
  if (status !== undefined) {
    const byStatus = BY_STATUS[status]
    if (byStatus) return byStatus
    if (status >= 500) return 'UPSTREAM'
  }
  return 'UPSTREAM'
}

export interface ParsedErrorBody {
  apiCode?: string
  message?: string
  requestId?: string
  /** A short, redactable excerpt of a body that was not JSON. */
  snippet?: string
  kind: 'json' | 'xml' | 'html' | 'text' | 'empty'
}

/** Reads an error body of any shape; never throws. */
export function parseErrorBody(body: unknown): ParsedErrorBody {
  if (body === undefined || body === null || body === '') return { kind: 'empty' }
  if (typeof body === 'object' && !Buffer.isBuffer(body)) return fromJson(body as Record<string, unknown>)
  // Objects returned above, so String() renders a primitive here; TypeScript cannot narrow `{}` by `typeof` to say so.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : String(body)
  const trimmed = text.trim()
  if (trimmed.startsWith('{')) {
    try {
      return fromJson(JSON.parse(trimmed) as Record<string, unknown>)
    } catch {
      /* fall through: not JSON after all */
    }
  }
  if (trimmed.startsWith('<?xml') || /<Error>/i.test(trimmed)) {
    const code = /<Code>([^<]*)<\/Code>/i.exec(trimmed)?.[1]
    const message = /<Message>([^<]*)<\/Message>/i.exec(trimmed)?.[1]
    const requestId = /<RequestId>([^<]*)<\/RequestId>/i.exec(trimmed)?.[1]
    // OSS hides the interesting code of a concurrency denial inside the message of RequestDeniedByCallback.
    const apiCode = trimmed.includes('ExceedMaxConcurrency') ? 'ExceedMaxConcurrency' : code
    return {
      kind: 'xml',
      ...(apiCode ? { apiCode } : {}),
      ...(message ? { message } : {}),
      ...(requestId ? { requestId } : {}),
    }
  }
  const kind = /^<(!doctype|html)/i.test(trimmed) ? 'html' : 'text'
  return { kind, snippet: trimmed.replace(/\s+/g, ' ').slice(0, 200) }
}

function fromJson(obj: Record<string, unknown>): ParsedErrorBody {
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined)
  const apiCode = str(obj.code)
  // The relay answers `{text}` (docs/api-notes.md §2.6); Spring-style bodies carry `error` (docs/api-notes.md §1.3).
  const message = str(obj.message) ?? str(obj.text) ?? str(obj.error)
  const requestId = str(obj.requestId) ?? str(obj.request_id)
  return {
    kind: 'json',
    ...(apiCode ? { apiCode } : {}),
    ...(message ? { message } : {}),
    ...(requestId ? { requestId } : {}),
  }
}

export interface HttpFailure {
  status: number
  body: unknown
  /** What was being done, for the message: e.g. `openFile/list`. */
  operation: string
  retryAfterMs?: number
}

export function mapHttpFailure(failure: HttpFailure): DriverError {
  const parsed = parseErrorBody(failure.body)
  const code = apiCodeToErrorCode(parsed.apiCode, failure.status)
  const hint = parsed.apiCode ? HINTS[parsed.apiCode] : undefined
  const detail =
    parsed.kind === 'html'
      ? `an HTML page instead of JSON (a gateway or proxy answered): ${parsed.snippet}`
      : parsed.kind === 'text'
        ? `a non-JSON body: ${parsed.snippet}`
        : parsed.kind === 'empty'
          ? 'an empty body'
          : `${parsed.apiCode ?? 'no code'}${parsed.message ? `: ${parsed.message}` : ''}`
  const message = `${failure.operation} failed with HTTP ${failure.status}, ${detail}${hint ? ` (${hint})` : ''}`
  return new DriverError(code, message, {
    status: failure.status,
    ...(parsed.apiCode ? { apiCode: parsed.apiCode } : {}),
    ...(parsed.requestId ? { requestId: parsed.requestId } : {}),
    ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
  })
}

export function networkError(operation: string, cause: unknown): DriverError {
  const code = (cause as { code?: unknown } | null)?.code
  const what = cause instanceof Error ? cause.message : String(cause)
  return new DriverError(
    'NETWORK',
    `${operation} failed: network error${typeof code === 'string' ? ` ${code}` : ''} (${what})`,
    { cause },
  )
}
