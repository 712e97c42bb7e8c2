import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import {
  DriverError,
  isDriverError,
  mapHttpFailure,
  parseErrorBody,
  redact,
  registerSecret,
} from '../../../src/errors/index.js'
import { accessToken } from '../../helpers/jwt.js'

const json = (code: string, message = 'msg') => JSON.stringify({ code, message, requestId: 'req-1' })

describe('mapHttpFailure: AliyunDrive codes (docs/api-notes.md §4.2)', () => {
  const cases: Array<[number, string, string]> = [
    [401, 'AccessTokenInvalid', 'UNAUTHORIZED'],
    [401, 'AccessTokenExpired', 'UNAUTHORIZED'],
    [400, 'I400JD', 'UNAUTHORIZED'],
    [400, 'RefreshTokenInvalid', 'UNAUTHORIZED'],
    [401, 'RefreshTokenExpired', 'UNAUTHORIZED'],
    [400, 'InvalidClientSecret', 'UNAUTHORIZED'],
    [403, 'PermissionDenied', 'FORBIDDEN'],
    [429, 'TooManyRequests', 'RATE_LIMITED'],
    [409, 'PreHashMatched', 'UPLOAD_FAILED'],
    [400, 'PreHashMatched', 'UPLOAD_FAILED'],
    [400, 'NotFound.File', 'NOT_FOUND'],
    [404, 'NotFound.FileId', 'NOT_FOUND'],
    [400, 'NotFound.UploadId', 'NOT_FOUND'],
    [400, 'AlreadyExist.File', 'ALREADY_EXISTS'],
    [403, 'ForbiddenFileInTheRecycleBin', 'FORBIDDEN'],
    [403, 'ForbiddenDriveLocked', 'FORBIDDEN'],
    [403, 'ForbiddenNoPermission', 'FORBIDDEN'],
    [403, 'UserNotAllowedAccessDrive', 'FORBIDDEN'],
    [403, 'UserNotAllowedAccessResource', 'FORBIDDEN'],
    [403, 'ExceedCapacityForbidden', 'QUOTA_EXCEEDED'],
    [400, 'QuotaExhausted.Drive', 'QUOTA_EXCEEDED'],
    [400, 'InvalidParameter.ContentHash', 'UPSTREAM'],
    [500, 'InternalError', 'UPSTREAM'],
    [503, 'ServiceUnavailable', 'UPSTREAM'],
  ]
  it.each(cases)('HTTP %i %s → %s, code kept in apiCode', (status, apiCode, expected) => {
    const e = mapHttpFailure({ status, body: json(apiCode), operation: 'openFile/x' })
    expect(e.code).toBe(expected)
    expect(e.apiCode).toBe(apiCode)
    expect(e.status).toBe(status)
    expect(e.requestId).toBe('req-1')
    expect(e.message).toContain(apiCode)
  })

  it('falls back to the HTTP status when there is no code', () => {
    expect(mapHttpFailure({ status: 404, body: '', operation: 'x' }).code).toBe('NOT_FOUND')
    expect(mapHttpFailure({ status: 502, body: '', operation: 'x' }).code).toBe('UPSTREAM')
    expect(mapHttpFailure({ status: 413, body: 'Payload Too Large', operation: 'x' }).code).toBe('UPLOAD_FAILED')
  })

  it('explains an HTML gateway page and plain text without crashing', () => {
    const html = mapHttpFailure({
      status: 502,
      body: '<!DOCTYPE html><html><body>Bad gateway</body></html>',
      operation: 'openFile/list',
    })
    expect(html.code).toBe('UPSTREAM')
    expect(html.message).toMatch(/HTML page instead of JSON/)
    const text = mapHttpFailure({ status: 413, body: 'Payload Too Large', operation: 'openFile/create' })
    expect(text.message).toContain('Payload Too Large')
  })

  it('reads OSS XML errors (data plane)', () => {
    const expired =
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code>' +
      '<Message>Request has expired.</Message><RequestId>r9</RequestId></Error>'
    const e = mapHttpFailure({ status: 403, body: expired, operation: 'part PUT' })
    expect(e).toMatchObject({ code: 'FORBIDDEN', apiCode: 'AccessDenied', requestId: 'r9' })
    expect(e.message).toContain('Request has expired')
    expect(parseErrorBody('<Error><Code>PartNotSequential</Code></Error>').apiCode).toBe('PartNotSequential')
    expect(
      mapHttpFailure({ status: 409, body: '<Error><Code>PartAlreadyExist</Code></Error>', operation: 'p' }).code,
    ).toBe('ALREADY_EXISTS')
    const conc = '<Error><Code>RequestDeniedByCallback</Code><Message>ExceedMaxConcurrency</Message></Error>'
    expect(mapHttpFailure({ status: 403, body: conc, operation: 'GET' }).code).toBe('RATE_LIMITED')
  })

  it('surfaces the relay text field', () => {
    expect(parseErrorBody(JSON.stringify({ text: '刷新Token失败' })).message).toBe('刷新Token失败')
  })
})

describe('redaction', () => {
  it('removes JWTs, bearer values, registered secrets and secret query params from messages, causes and inspect output', () => {
    const token = accessToken()
    registerSecret('my-client-secret-xyz')
    const cause = Object.assign(new Error(`request failed with Authorization: Bearer ${token}`), {
      config: { headers: { Authorization: `Bearer ${token}` } },
    })
    const e = new DriverError('UPSTREAM', `boom ${token} and my-client-secret-xyz and ?refresh_ui=abcdef123&x=1`, {
      cause,
    })
    const shown = [
      e.message,
      e.stack ?? '',
      inspect(e, { depth: 10 }),
      JSON.stringify(e),
      String(e.cause?.message),
    ].join('\n')
    expect(shown).not.toContain(token)
    expect(shown).not.toContain('my-client-secret-xyz')
    expect(shown).not.toContain('abcdef123')
    expect(shown).toContain('[redacted]')
    // the axios-like cause object with its headers is not kept
    expect((e.cause as unknown as { config?: unknown }).config).toBeUndefined()
    expect(isDriverError(e)).toBe(true)
    expect(isDriverError(new Error('x'))).toBe(false)
  })

  it('leaves ordinary text alone', () => {
    expect(redact('openFile/list failed with HTTP 500')).toBe('openFile/list failed with HTTP 500')
  })
})
