/**
 * A business error answered as HTTP >= 400 with JSON `{code, message, requestId}` (docs/api-notes.md §1.3, §4.1). Never 200:
 * OpenList (resty) only decodes error bodies for statuses > 399.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra body fields, e.g. PreHashMatched echoes `pre_hash` (docs/api-notes.md §6.5). */
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/**
 * Unknown file ids answer 404 `NotFound.File`: `get` on a missing id is 404 (docs/api-notes.md §3.4, MSN), and a single code
 * keeps clients simple. (ODAL/TKS list NotFound.File under 400; open question docs/api-notes.md §12.4.)
 */
export const fileNotFound = (id: string): ApiError =>
  new ApiError(404, 'NotFound.File', `The resource file cannot be found. file not exist: ${id}`)

export const inRecycleBin = (): ApiError =>
  new ApiError(403, 'ForbiddenFileInTheRecycleBin', 'The file is in the recycle bin.')
