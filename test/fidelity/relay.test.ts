/**
 * The renew relay as it really answers: HTTP 500 {text} for every upstream failure (a refused token, a 429, a 5xx),
 * so only a text that says the refresh token is dead may tell the user to re-authorize.
 */
import axios from 'axios'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import { RELAY_REFUSAL_WORDINGS, isRelayRefusal } from '../../src/auth/renewal.js'
import { TokenManager } from '../../src/auth/token-manager.js'
import { parseConfig } from '../../src/config/index.js'
import { AliyundriveOpen } from '../../src/driver/aliyundrive-open.js'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { useNock } from '../helpers/nock-setup.js'
import { refreshToken } from '../helpers/jwt.js'

useNock()
const RELAY = 'https://relay.test/alicloud/renewapi'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
})

function manager(overrides: Record<string, unknown> = {}, extra: { relayUserAgent?: string } = {}) {
  const config = parseConfig({ refresh_token: refreshToken(), api_url_address: RELAY, ...overrides })
  const tokens = new TokenManager({
    config,
    http: axios.create({ validateStatus: () => true, responseType: 'text', transformResponse: [(d: unknown) => d] }),
    apiBaseUrl: 'https://openapi.test',
    acquire: async () => {},
    backoffMs: 2,
    ...extra,
  })
  cleanups.push(() => tokens.release())
  return tokens
}

async function emulatorDriver(emu: EmulatorHandle, addition: Record<string, unknown>) {
  const driver = new AliyundriveOpen({ api_url_address: emu.renewApiUrl, ...addition }, { apiBaseUrl: emu.apiUrl })
  cleanups.push(() => driver.drop())
  return driver
}

describe('relay refusal wordings', () => {
  it.each([
    'expired refresh_token',
    'The input parameter refresh_token is not valid. ',
    'RefreshTokenExpired: expired refresh_token',
    'Refresh token is invalid or has been used.',
    'refresh token was revoked',
    'PermissionDenied',
  ])('"%s" is a refusal', (text) => expect(isRelayRefusal(text)).toBe(true))

  it.each([
    '刷新Token失败',
    '请求过快，请等待 x-retry-after 毫秒后再请求',
    'Too Many Requests',
    'Internal server error, please try again later.',
    'invalid client_secret',
    '传入参数缺少',
  ])('"%s" is not', (text) => expect(isRelayRefusal(text)).toBe(false))

  it('every wording names where it came from', () => {
    for (const w of RELAY_REFUSAL_WORDINGS) expect(w.source.length).toBeGreaterThan(10)
  })
})

describe('online renewal against a relay that answers 500 {text} for everything', () => {
  it('retries a 500 {text} that is not a refusal, then succeeds', async () => {
    const tokens = manager()
    const relay = nock('https://relay.test')
      .get('/alicloud/renewapi')
      .query(true)
      .reply(500, { text: 'Too Many Requests' })
    nock('https://relay.test').get('/alicloud/renewapi').query(true).reply(500, {})
    nock('https://relay.test')
      .get('/alicloud/renewapi')
      .query(true)
      .reply(200, { refresh_token: refreshToken(), access_token: 'at-new' })
    await expect(tokens.accessToken()).resolves.toBe('at-new')
    expect(relay.isDone()).toBe(true)
  })

  it('gives up after a bounded number of tries with UPSTREAM and the relay text, not "re-authorize"', async () => {
    const tokens = manager()
    const relay = nock('https://relay.test')
      .get('/alicloud/renewapi')
      .query(true)
      .times(4)
      .reply(500, { text: '刷新Token失败' })
    const err = (await tokens.accessToken().catch((e: unknown) => e)) as Error & { code: string }
    expect(err.code).toBe('UPSTREAM')
    expect(err.message).toContain('刷新Token失败')
    expect(err.message).not.toMatch(/re-authorize/)
    expect(relay.isDone()).toBe(true)
    expect(nock.pendingMocks()).toEqual([])
  })

  it('a refusal wording stays final: UNAUTHORIZED after one call', async () => {
    const tokens = manager()
    nock('https://relay.test')
      .get('/alicloud/renewapi')
      .query(true)
      .once()
      .reply(500, { text: 'expired refresh_token' })
    await expect(tokens.accessToken()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringMatching(/expired refresh_token.*re-authorize/),
    })
    expect(nock.isDone()).toBe(true)
  })

  it('sends a browser-like User-Agent naming the project, and the host can override it', async () => {
    nock('https://relay.test')
      .get('/alicloud/renewapi')
      .query(true)
      .matchHeader('user-agent', /^Mozilla\/5\.0 .*aliyundrive-open/)
      .reply(200, { refresh_token: refreshToken(), access_token: 'at-1' })
    const first = manager()
    await expect(first.accessToken()).resolves.toBe('at-1')
    first.release() // managers of one account share one rotation chain
    nock('https://relay.test')
      .get('/alicloud/renewapi')
      .query(true)
      .matchHeader('user-agent', 'my-agent/1')
      .reply(200, { refresh_token: refreshToken(), access_token: 'at-2' })
    await expect(manager({}, { relayUserAgent: 'my-agent/1' }).accessToken()).resolves.toBe('at-2')
  })
})

describe('the emulator relay seeded by its fault options', () => {
  it('answers an upstream rate limit as 500 {text}, and the driver retries through it (QR app)', async () => {
    const emu = await startEmulator({ limits: false, faults: { rateLimitBurst: 1 } })
    cleanups.push(() => emu.close())
    const first = await fetch(`${emu.renewApiUrl}?refresh_ui=x&server_use=true&driver_txt=alicloud_qr`)
    expect(first.status).toBe(500)
    expect(await first.json()).toEqual({ text: expect.stringContaining('请求过快') })
    emu.setFaults({ rateLimitBurst: 1 })
    const driver = await emulatorDriver(emu, { refresh_token: emu.issueRefreshToken() })
    await expect(driver.init()).resolves.toBeUndefined()
    expect(driver.stats.refreshes).toBe(1)
  })

  it('answers the TV app fixed "刷新Token失败" on an upstream 5xx, which is retried too', async () => {
    const emu = await startEmulator({ limits: false, faults: { rateLimitBurst: 1 } })
    cleanups.push(() => emu.close())
    const first = await fetch(`${emu.renewApiUrl}?refresh_ui=x&server_use=true&driver_txt=alicloud_tv`)
    expect(await first.json()).toEqual({ text: '刷新Token失败' })
    emu.setFaults({ rateLimitBurst: 1 })
    const driver = await emulatorDriver(emu, { refresh_token: emu.issueRefreshToken('tv'), alipan_type: 'alipanTV' })
    await expect(driver.init()).resolves.toBeUndefined()
  })

  it('renews with the own app when the relay URL is empty, as OpenList does', async () => {
    const emu = await startEmulator({ limits: false })
    cleanups.push(() => emu.close())
    const driver = await emulatorDriver(emu, {
      refresh_token: emu.issueRefreshToken(),
      api_url_address: '',
      client_id: emu.clientId,
      client_secret: emu.clientSecret,
    })
    await expect(driver.init()).resolves.toBeUndefined()
    expect(emu.stats().calls['/oauth/access_token']).toBe(1)
  })
})
