/** The stable error codes callers branch on (docs/contract.md §3). */
export const ERROR_CODES = [
  'INVALID_CONFIG',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'NOT_FOLDER',
  'NOT_FILE',
  'UNAUTHORIZED',
  'RATE_LIMITED',
  'QUOTA_EXCEEDED',
  'FORBIDDEN',
  'NOT_SUPPORTED',
  'UPLOAD_FAILED',
  'ABORTED',
  'UPSTREAM',
  'NETWORK',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]
