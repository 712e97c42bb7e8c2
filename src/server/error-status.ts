/**
 * The one place an error becomes an answer, for every front end (OpenList API, WebDAV, `/d/`, `/p/`, `/ae/`): the
 * driver's `DriverError` by its code (the table below), the server's own errors by what they carry (server-errors.ts),
 * anything else as our bug, or as what the caller says it means there (a proxied download: the upstream failing).
 *
 * DriverError codes → what each front end answers. In OpenList's envelope, codes 401 and 403 make its client log in
 * again and retry (docs/host-notes.md §1), so they are reserved for *our* auth: an upstream UNAUTHORIZED (the AliyunDrive
 * token cannot be refreshed) or FORBIDDEN is reported as 500, with the driver's message saying what to do.
 */
import { isDriverError, type ErrorCode } from '../errors/index.js'
import { ServerError } from './server-errors.js'

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

/** What every front end answers for one error. */
export interface MappedError {
  /** `code` in OpenList's envelope. */
  api: number
  /** HTTP status of `/d/`, `/p/` and `/ae/`. */
  http: number
  /** The envelope's message, and the text of the answers over HTTP. */
  message: string
  /** WebDAV's status and body. */
  dav: number
  davBody: string
  /** Headers an answer over HTTP adds. */
  headers: Record<string, string>
  /** The request body was refused unread: close the connection after the answer (body-limits.ts). */
  closeConnection: boolean
}

/** What an error that is neither the driver's nor ours means where it is met. */
export interface Otherwise {
  status: number
  message: string
}

/** Anything unknown is our bug: say so without leaking internals (the message may hold a URL with a signature). */
const INTERNAL: Otherwise = { status: 500, message: 'internal server error' }

export function mapError(e: unknown, otherwise: Otherwise = INTERNAL): MappedError {
  if (isDriverError(e)) {
    const { api, http } = MAP[e.code]
    return plain(api, http, e.message)
  }
  // Our own errors carry their answers (server-errors.ts).
  if (e instanceof ServerError)
    return {
      api: e.openListCode,
      http: e.status,
      message: e.message,
      dav: e.davStatus,
      davBody: e.davBody,
      headers: e.headers,
      closeConnection: e.closesConnection,
    }
  return plain(otherwise.status, otherwise.status, otherwise.message)
}

function plain(api: number, http: number, message: string): MappedError {
  return { api, http, message, dav: http, davBody: `${message}\n`, headers: {}, closeConnection: false }
}
