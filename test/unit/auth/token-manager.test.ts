import nock from 'nock'
import { describe, expect, it, vi } from 'vitest'
import type { DriverConfig } from '../../../src/config/index.js'
import { ApiClient } from '../../../src/http/api-client.js'
import { ENDPOINTS } from '../../../src/api/endpoints.js'
import { driveInfoSchema } from '../../../src/api/wire.js'
import { useNock } from '../../helpers/nock-setup.js'
import { TEST_API as API, nockTokenManager, releaseTokenManagersAfterEach } from '../../helpers/token-manager.js'
import { USER_A, USER_B, accessToken, refreshToken } from '../../helpers/jwt.js'

useNock()
const DRIVE_INFO = { user_id: USER_A, default_drive_id: '1', resource_drive_id: '2' }

releaseTokenManagersAfterEach()

function setup(overrides: Record<string, unknown> = {}, save?: (c: DriverConfig) => void | Promise<void>) {
  const { config, tokens } = nockTokenManager(overrides, save ? { saveConfig: save } : {})
  const api = new ApiClient({ baseUrl: API, tokens, acquire: async () => {}, retry: { minDelayMs: 1, maxDelayMs: 5 } })
  const driveInfo = () => api.call(ENDPOINTS.driveInfo, {}, driveInfoSchema)
  return { config, tokens, api, driveInfo }
}

describe('token manager', () => {
  it('makes no refresh call while the JWT exp says the access token is valid', async () => {
    const at = accessToken({ expInSec: 3600 })
    const { driveInfo, tokens } = setup({ AccessToken: at })
    nock(API).post(ENDPOINTS.driveInfo.path).matchHeader('authorization', `Bearer ${at}`).reply(200, DRIVE_INFO)
    await driveInfo()
    expect(tokens.refreshCount).toBe(0)
    expect(nock.isDone()).toBe(true)
  })

  it('refreshes first when the access token is empty or expired (online mode: GET relay with driver_txt)', async () => {
    const newAt = accessToken()
    const newRt = refreshToken()
    const { driveInfo, config, tokens } = setup({ AccessToken: accessToken({ expInSec: -10 }) })
    const oldRt = config.refresh_token
    nock('https://relay.test')
      .get('/alicloud/renewapi')
      .query({ refresh_ui: oldRt, server_use: 'true', driver_txt: 'alicloud_qr' })
      .reply(200, { refresh_token: newRt, access_token: newAt })
    nock(API).post(ENDPOINTS.driveInfo.path).matchHeader('authorization', `Bearer ${newAt}`).reply(200, DRIVE_INFO)
    await driveInfo()
    expect(tokens.currentConfig().refresh_token).toBe(newRt)
    expect(tokens.currentConfig().AccessToken).toBe(newAt)
    expect(config.refresh_token).toBe(oldRt) // the tokens live in the manager, not in the object it was given
  })

  it('asks for alicloud_tv when alipan_type is alipanTV', async () => {
    const { tokens } = setup({ alipan_type: 'alipanTV' })
    nock('https://relay.test')
      .get('/alicloud/renewapi')
      .query((q) => q.driver_txt === 'alicloud_tv')
      .reply(200, { refresh_token: refreshToken(), access_token: accessToken() })
    await tokens.accessToken()
    expect(nock.isDone()).toBe(true)
  })

  it('shares one refresh among 20 concurrent calls', async () => {
    const newAt = accessToken()
    const { driveInfo, tokens } = setup()
    const relay = nock('https://relay.test')
      .get('/alicloud/renewapi')
      .query(true)
      .delay(30)
      .reply(200, { refresh_token: refreshToken(), access_token: newAt })
    nock(API)
      .post(ENDPOINTS.driveInfo.path)
      .times(20)
      .matchHeader('authorization', `Bearer ${newAt}`)
      .reply(200, DRIVE_INFO)
    await Promise.all(Array.from({ length: 20 }, () => driveInfo()))
    expect(tokens.refreshCount).toBe(1)
    expect(relay.isDone()).toBe(true)
  })

  it.each(['AccessTokenExpired', 'AccessTokenInvalid', 'I400JD'])(
    'on %s mid-run: refreshes once and repeats the request once',
    async (code) => {
      const oldAt = accessToken()
      const newAt = accessToken()
      const { driveInfo, tokens } = setup({ AccessToken: oldAt })
      nock(API)
        .post(ENDPOINTS.driveInfo.path)
        .matchHeader('authorization', `Bearer ${oldAt}`)
        .reply(401, { code, message: 'expired' })
      nock('https://relay.test')
        .get('/alicloud/renewapi')
        .query(true)
        .reply(200, { refresh_token: refreshToken(), access_token: newAt })
      nock(API).post(ENDPOINTS.driveInfo.path).matchHeader('authorization', `Bearer ${newAt}`).reply(200, DRIVE_INFO)
      await expect(driveInfo()).resolves.toMatchObject({ user_id: USER_A })
      expect(tokens.refreshCount).toBe(1)
    },
  )

  it('gives UNAUTHORIZED when the token is refused again after the refresh (no loop)', async () => {
    const { driveInfo, tokens } = setup({ AccessToken: accessToken() })
    nock(API).post(ENDPOINTS.driveInfo.path).times(2).reply(401, { code: 'AccessTokenInvalid', message: 'bad' })
    nock('https://relay.test')
      .get('/alicloud/renewapi')
      .query(true)
      .reply(200, { refresh_token: refreshToken(), access_token: accessToken() })
    await expect(driveInfo()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringMatching(/re-authorize/),
    })
    expect(tokens.refreshCount).toBe(1)
  })

  it('surfaces the relay text of a refusal as UNAUTHORIZED without retrying', async () => {
    const { tokens } = setup()
    const relay = nock('https://relay.test')
      .get('/alicloud/renewapi')
      .query(true)
      .times(1)
      .reply(500, { text: 'refresh token is invalid or expired' })
    const err = await tokens.accessToken().catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'UNAUTHORIZED' })
    expect((err as Error).message).toContain('refresh token is invalid or expired')
    expect((err as Error).message).toMatch(/re-authorize/)
    expect(relay.isDone()).toBe(true)
  })

  it('retries relay outages (HTML from a gateway, dropped connection) with back-off, then succeeds', async () => {
    const { tokens } = setup()
    nock('https://relay.test').get('/alicloud/renewapi').query(true).reply(502, '<html><body>Bad Gateway</body></html>')
    nock('https://relay.test')
      .get('/alicloud/renewapi')
      .query(true)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
    nock('https://relay.test')
      .get('/alicloud/renewapi')
      .query(true)
      .reply(200, { refresh_token: refreshToken(), access_token: accessToken() })
    await expect(tokens.accessToken()).resolves.toBeTruthy()
    expect(tokens.refreshCount).toBe(1)
  })

  it('local mode: POSTs the OAuth body and rejects a refresh token for another account (sub check)', async () => {
    const { tokens, config } = setup({ use_online_api: false, client_id: 'cid', client_secret: 'csecret' })
    const oldRt = config.refresh_token
    nock(API)
      .post('/oauth/access_token', {
        client_id: 'cid',
        client_secret: 'csecret',
        grant_type: 'refresh_token',
        refresh_token: oldRt,
      })
      .reply(200, {
        refresh_token: refreshToken({ sub: USER_B }),
        access_token: accessToken({ sub: USER_B }),
        expires_in: 7200,
      })
    await expect(tokens.accessToken()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringMatching(/different AliyunDrive account/),
    })
    expect(tokens.currentConfig().refresh_token).toBe(oldRt)
  })

  it('local mode: a refused refresh token is UNAUTHORIZED with the server code, after one call', async () => {
    const { tokens } = setup({ use_online_api: false, client_id: 'cid', client_secret: 'csecret' })
    nock(API)
      .post('/oauth/access_token')
      .once()
      .reply(400, { code: 'RefreshTokenInvalid', message: 'refresh token is used' })
    await expect(tokens.accessToken()).rejects.toMatchObject({ code: 'UNAUTHORIZED', apiCode: 'RefreshTokenInvalid' })
    expect(nock.isDone()).toBe(true)
  })

  it('awaits saveConfig with the rotated tokens before the new token is used', async () => {
    const events: string[] = []
    const newAt = accessToken()
    const newRt = refreshToken()
    const save = vi.fn(async (c: DriverConfig) => {
      await new Promise((r) => setTimeout(r, 30))
      events.push(`saved ${c.refresh_token === newRt && c.AccessToken === newAt}`)
    })
    const { driveInfo } = setup({}, save)
    nock('https://relay.test')
      .get('/alicloud/renewapi')
      .query(true)
      .reply(200, { refresh_token: newRt, access_token: newAt })
    nock(API)
      .post(ENDPOINTS.driveInfo.path)
      .reply(200, () => {
        events.push('api call')
        return DRIVE_INFO
      })
    await driveInfo()
    expect(events).toEqual(['saved true', 'api call'])
    expect(save).toHaveBeenCalledTimes(1)
  })

  it('keeps the rotated tokens when saving fails, and saves again before the next use', async () => {
    let fail = true
    const saved: string[] = []
    const newRt = refreshToken()
    const { tokens } = setup({}, async (c) => {
      if (fail) throw new Error('disk full')
      saved.push(c.refresh_token)
    })
    nock('https://relay.test')
      .get('/alicloud/renewapi')
      .query(true)
      .reply(200, { refresh_token: newRt, access_token: accessToken() })
    await expect(tokens.accessToken()).rejects.toThrow(/saving the renewed tokens.*disk full/)
    expect(tokens.currentConfig().refresh_token).toBe(newRt)
    fail = false
    await tokens.accessToken()
    expect(saved).toEqual([newRt])
    expect(tokens.refreshCount).toBe(1)
  })
})

describe('token manager with a skewed clock', () => {
  it('uses a freshly rotated token even if the local clock says it is expired: one rotation, no loop', async () => {
    const { tokens } = setup()
    // The server's token expired an hour ago by *our* clock: the local clock runs ahead of the server's.
    const skewed = accessToken({ expInSec: -3600 })
    let relayCalls = 0
    // Persisted: answers however often it is asked; the count is the check.
    nock('https://relay.test')
      .persist()
      .get('/alicloud/renewapi')
      .query(true)
      .reply(200, () => {
        relayCalls++
        return { refresh_token: refreshToken(), access_token: skewed }
      })
    await expect(tokens.accessToken()).resolves.toBe(skewed)
    expect(tokens.refreshCount).toBe(1)
    expect(relayCalls).toBe(1) // not a rotation loop
  })
})

describe('isTokenFresh', () => {
  it('keeps a margin before exp, but at most a tenth of the token lifetime', async () => {
    const { isTokenFresh } = await import('../../../src/auth/jwt.js')
    const { makeJwt } = await import('../../helpers/jwt.js')
    const now = Date.now()
    const s = Math.floor(now / 1000)
    expect(isTokenFresh(makeJwt({ iat: s, exp: s + 7200 }), now, 5000)).toBe(true)
    expect(isTokenFresh(makeJwt({ iat: s - 7200, exp: s + 4 }), now, 5000)).toBe(false) // inside the 5 s margin
    expect(isTokenFresh(makeJwt({ iat: s, exp: s + 3 }), now, 5000)).toBe(true) // a 3 s token is fresh at birth
    expect(isTokenFresh(makeJwt({ iat: s - 10, exp: s - 1 }), now, 5000)).toBe(false)
    expect(isTokenFresh('', now)).toBe(false)
    expect(isTokenFresh('opaque-token', now)).toBe(true)
  })
})
