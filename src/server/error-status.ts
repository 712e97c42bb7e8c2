/**
 * DriverError codes → what each front end answers. In OpenList's envelope, codes 401 and 403 make its client log in
 * again and retry (docs/host-notes.md §1), so they are reserved for *our* auth: an upstream UNAUTHORIZED (the AliyunDrive
 * token cannot be refreshed) or FORBIDDEN is reported as 500, with the driver's message saying what to do.
 */
import { isDriverError, type ErrorCode } from '../errors/index.js'
import {
  ChecksumRefusedError,
  PayloadTooLargeError,
  ReadOnlyError,
  SearchNotAvailableError,
  UnknownArchiveFormatError,
} from './answer-errors.js'
import { UnsafePathError } from './safe-path.js'

interface Mapping {
  /** `code` in the OpenList envelope. */
  api: number
  /** HTTP status for WebDAV and /d. */
  http: number
}

const MAP: Record<ErrorCode, Mapping> = {
  INVALID_CONFIG: { api: 500, http: 500 },
  NOT_FOUND: { api: 404, http: 404 },
  ALREADY_EXISTS: { api: 409, http: 409 },
  NOT_FOLDER: { api: 400, http: 409 },
  NOT_FILE: { api: 400, http: 405 },
  UNAUTHORIZED: { api: 500, http: 502 },
  RATE_LIMITED: { api: 429, http: 503 },
  QUOTA_EXCEEDED: { api: 507, http: 507 },
  FORBIDDEN: { api: 500, http: 403 },
  NOT_SUPPORTED: { api: 400, http: 403 },
  UPLOAD_FAILED: { api: 500, http: 500 },
  ABORTED: { api: 500, http: 500 },
  UPSTREAM: { api: 502, http: 502 },
  NETWORK: { api: 502, http: 502 },
}

export interface MappedError {
  api: number
  http: number
  message: string
}

export function mapError(e: unknown): MappedError {
  if (isDriverError(e)) return { ...MAP[e.code], message: e.message }
  // Our own refusals, mapped here once for every front end (OpenList API, WebDAV, /d, archive extraction).
  if (e instanceof UnsafePathError) return { api: 400, http: 400, message: e.message }
  if (e instanceof ChecksumRefusedError) return { api: 400, http: 412, message: e.message }
  if (e instanceof ReadOnlyError) return { api: 403, http: 403, message: e.message }
  if (e instanceof PayloadTooLargeError) return { api: 413, http: 413, message: e.message }
  if (e instanceof UnknownArchiveFormatError || e instanceof SearchNotAvailableError)
    return { api: 500, http: 500, message: e.message }
  // Anything else is our bug: say so without leaking internals (the message may hold a URL with a signature).
  return { api: 500, http: 500, message: 'internal server error' }
}
