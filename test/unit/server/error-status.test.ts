import { describe, expect, it } from 'vitest'
import { DriverError } from '../../../src/errors/index.js'
import {
  SearchNotAvailableError,
  UnknownArchiveFormatError,
  UnsafePathError,
} from '../../../src/server/server-errors.js'
import { mapError } from '../../../src/server/error-status.js'

describe('mapError, the one place server errors become statuses', () => {
  it('maps driver codes per front end (OpenList code, HTTP status)', () => {
    expect(mapError(new DriverError('NOT_FOUND', 'gone'))).toMatchObject({ api: 404, http: 404, message: 'gone' })
    expect(mapError(new DriverError('UNAUTHORIZED', 'relogin'))).toMatchObject({
      api: 500,
      http: 502,
      message: 'relogin',
    })
  })

  it('answers an unsafe client path with 400 and its message', () => {
    expect(mapError(new UnsafePathError('path segment ".." is not allowed'))).toMatchObject({
      api: 400,
      http: 400,
      message: 'path segment ".." is not allowed',
    })
  })

  it('answers the OpenList-compatible refusals with 500 and their own message', () => {
    expect(mapError(new UnknownArchiveFormatError('unknown archive format'))).toMatchObject({
      api: 500,
      http: 500,
      message: 'unknown archive format',
    })
    expect(mapError(new SearchNotAvailableError('search not available'))).toMatchObject({
      api: 500,
      http: 500,
      message: 'search not available',
    })
  })

  it('hides the message of anything else', () => {
    expect(mapError(new Error('https://x?signature=secret'))).toMatchObject({
      api: 500,
      http: 500,
      message: 'internal server error',
    })
  })
})
