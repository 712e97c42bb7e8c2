import nock from 'nock'
import { describe, expect, it } from 'vitest'
import { ENDPOINTS } from '../../../src/api/endpoints.js'
import { driveInfoSchema, moveCopyResponseSchema } from '../../../src/api/wire.js'
import { ApiClient, type TokenSource } from '../../../src/http/api-client.js'
import { useNock } from '../../helpers/nock-setup.js'
import { USER_A } from '../../helpers/jwt.js'

useNock()
const API = 'https://openapi.test'
const INFO = { user_id: USER_A, default_drive_id: '1' }
const staticTokens: TokenSource = { accessToken: async () => 'static-token', refresh: async () => 'static-token' }

function client(acquired: string[] = []) {
  return new ApiClient({
    baseUrl: API,
    tokens: staticTokens,
    acquire: async (cls) => {
      acquired.push(cls)
    },
    retry: { minDelayMs: 1, maxDelayMs: 4, retries: 3, rateLimitRetries: 3 },
  })
}
const driveInfo = (c: ApiClient, signal?: AbortSignal) =>
  c.call(ENDPOINTS.driveInfo, {}, driveInfoSchema, signal ? { signal } : {})

describe('the request path', () => {
  it('sends JSON with the bearer token, a User-Agent, and takes a limiter slot of the right class per attempt', async () => {
    const acquired: string[] = []
    const c = client(acquired)
    nock(API)
      .post(ENDPOINTS.list.path, { drive_id: '1' })
      .matchHeader('authorization', 'Bearer static-token')
      .matchHeader('content-type', /application\/json/)
      .matchHeader('user-agent', /aliyundrive-open/)
      .reply(200, { items: [], next_marker: '' })
    const { listResponseSchema } = await import('../../../src/api/wire.js')
    await c.call(ENDPOINTS.list, { drive_id: '1' }, listResponseSchema)
    expect(acquired).toEqual(['list'])
  })

  it('waits x-retry-after milliseconds on 429, then repeats (without using the 5xx budget)', async () => {
    const c = client()
    nock(API)
      .post(ENDPOINTS.driveInfo.path)
      .times(3)
      .reply(429, { code: 'TooManyRequests', message: '请求过快' }, { 'x-retry-after': '120' })
    nock(API).post(ENDPOINTS.driveInfo.path).reply(200, INFO)
    const started = Date.now()
    await expect(driveInfo(c)).resolves.toMatchObject({ user_id: USER_A })
    expect(Date.now() - started).toBeGreaterThanOrEqual(360)
    expect(c.stats.rateLimited).toBe(3)
  })

  it('gives RATE_LIMITED when still limited after the bounded number of waits', async () => {
    const c = client()
    nock(API)
      .post(ENDPOINTS.driveInfo.path)
      .times(4)
      .reply(429, { code: 'TooManyRequests', message: 'slow down' }, { 'x-retry-after': '5' })
    await expect(driveInfo(c)).rejects.toMatchObject({ code: 'RATE_LIMITED', apiCode: 'TooManyRequests', status: 429 })
    expect(nock.isDone()).toBe(true)
  })

  it('retries 5xx and dropped connections on idempotent calls with back-off, bounded', async () => {
    const c = client()
    nock(API).post(ENDPOINTS.driveInfo.path).reply(503, { code: 'ServiceUnavailable', message: 'busy' })
    nock(API)
      .post(ENDPOINTS.driveInfo.path)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
    nock(API).post(ENDPOINTS.driveInfo.path).reply(200, INFO)
    await expect(driveInfo(c)).resolves.toMatchObject({ user_id: USER_A })

    nock(API).post(ENDPOINTS.driveInfo.path).times(4).reply(500, { code: 'InternalError', message: 'oops' })
    await expect(driveInfo(c)).rejects.toMatchObject({ code: 'UPSTREAM', apiCode: 'InternalError' })
    expect(nock.isDone()).toBe(true)
  })

  it('never repeats a non-idempotent call (copy) after an unknown outcome', async () => {
    const c = client()
    const scope = nock(API).post(ENDPOINTS.copy.path).once().reply(500, { code: 'InternalError', message: 'oops' })
    await expect(c.call(ENDPOINTS.copy, { file_id: 'f' }, moveCopyResponseSchema)).rejects.toMatchObject({
      code: 'UPSTREAM',
    })
    expect(scope.isDone()).toBe(true)
    // but a 429 means nothing was done, so even copy is repeated
    nock(API).post(ENDPOINTS.copy.path).reply(429, { code: 'TooManyRequests', message: 'x' }, { 'x-retry-after': '1' })
    nock(API).post(ENDPOINTS.copy.path).reply(200, { file_id: 'copy-1' })
    await expect(c.call(ENDPOINTS.copy, { file_id: 'f' }, moveCopyResponseSchema)).resolves.toMatchObject({
      file_id: 'copy-1',
    })
  })

  it('does not retry business errors', async () => {
    const c = client()
    nock(API).post(ENDPOINTS.driveInfo.path).once().reply(403, { code: 'ForbiddenDriveLocked', message: 'locked' })
    await expect(driveInfo(c)).rejects.toMatchObject({ code: 'FORBIDDEN', apiCode: 'ForbiddenDriveLocked' })
  })

  it('stops waiting with ABORTED when the caller aborts during a 429 wait', async () => {
    const c = client()
    nock(API)
      .post(ENDPOINTS.driveInfo.path)
      .reply(429, { code: 'TooManyRequests', message: 'x' }, { 'x-retry-after': '10000' })
    const ac = new AbortController()
    setTimeout(() => ac.abort(new Error('user cancelled')), 50)
    const started = Date.now()
    await expect(driveInfo(c, ac.signal)).rejects.toMatchObject({
      code: 'ABORTED',
      message: expect.stringContaining('user cancelled'),
    })
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('treats an error body sent with HTTP 200 as the error it is, and a malformed body as UPSTREAM', async () => {
    const c = client()
    nock(API).post(ENDPOINTS.driveInfo.path).reply(200, { code: 'NotFound.File', message: 'gone' })
    await expect(driveInfo(c)).rejects.toMatchObject({ code: 'NOT_FOUND', apiCode: 'NotFound.File' })
    nock(API).post(ENDPOINTS.driveInfo.path).times(4).reply(200, { unexpected: true })
    await expect(driveInfo(c)).rejects.toMatchObject({
      code: 'UPSTREAM',
      message: expect.stringMatching(/malformed response \(user_id/),
    })
    nock(API)
      .post(ENDPOINTS.driveInfo.path)
      .times(4)
      .reply(200, '<html>login page</html>', { 'content-type': 'text/html' })
    await expect(driveInfo(c)).rejects.toMatchObject({ code: 'UPSTREAM', message: expect.stringMatching(/HTML page/) })
  })
})
