/**
 * Exit codes, so scripts can branch without parsing messages. Stable; documented in README.md, section "The CLI".
 */
import type { ErrorCode } from '../errors/index.js'

export const EXIT = {
  OK: 0,
  GENERIC: 1,
  USAGE: 2,
  NOT_FOUND: 3,
  ALREADY_EXISTS: 4,
  UNAUTHORIZED: 5,
  FORBIDDEN: 6,
  RATE_LIMITED: 7,
  QUOTA_EXCEEDED: 8,
  WRONG_KIND: 9,
  NETWORK: 10,
  NOT_SUPPORTED: 11,
  INVALID_CONFIG: 12,
  ABORTED: 130,
} as const

const BY_CODE: Record<ErrorCode, number> = {
  INVALID_CONFIG: EXIT.INVALID_CONFIG,
  NOT_FOUND: EXIT.NOT_FOUND,
  ALREADY_EXISTS: EXIT.ALREADY_EXISTS,
  NOT_FOLDER: EXIT.WRONG_KIND,
  NOT_FILE: EXIT.WRONG_KIND,
  UNAUTHORIZED: EXIT.UNAUTHORIZED,
  RATE_LIMITED: EXIT.RATE_LIMITED,
  QUOTA_EXCEEDED: EXIT.QUOTA_EXCEEDED,
  FORBIDDEN: EXIT.FORBIDDEN,
  NOT_SUPPORTED: EXIT.NOT_SUPPORTED,
  UPLOAD_FAILED: EXIT.GENERIC,
  ABORTED: EXIT.ABORTED,
  UPSTREAM: EXIT.NETWORK,
  NETWORK: EXIT.NETWORK,
}

export function exitCodeFor(code: ErrorCode): number {
  return BY_CODE[code]
}

/** A CLI usage problem (bad arguments, missing --config): exit 2. */
export class UsageError extends Error {}
