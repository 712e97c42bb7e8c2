/**
 * Token rotation coordinated through the persisted config (RELIABILITY.md, section "One account, many processes"):
 * the host's loadConfig is read under its
 * withTokenLock before exchanging; a newer persisted token is adopted instead of spending ours; a refusal is retried
 * once if the persisted token changed; a host call that never returns fails the call after a bound.
 */
import nock from 'nock'
import { describe, expect, it, vi } from 'vitest'
import type { TokenManagerOptions } from '../../../src/auth/token-manager.js'
import { parseConfig, type DriverConfig } from '../../../src/config/index.js'
import { useNock } from '../../helpers/nock-setup.js'
import {
  TEST_RELAY as RELAY,
  TEST_RELAY_ORIGIN as RELAY_HOST,
  nockTokenManager,
  releaseTokenManagersAfterEach,
} from '../../helpers/token-manager.js'
import { accessToken, refreshToken } from '../../helpers/jwt.js'

useNock()

releaseTokenManagersAfterEach()

function setup(host: Partial<TokenManagerOptions>, overrides: Record<string, unknown> = {}) {
  return nockTokenManager(overrides, host)
}

describe('token rotation through the persisted config', () => {
  it('adopts a newer persisted refresh token and its fresh access token instead of exchanging', async () => {
    const theirs = { rt: refreshToken(), at: accessToken() }
    const save = vi.fn()
    const { tokens } = setup({
      saveConfig: save,
      loadConfig: async () => parseConfig({ refresh_token: theirs.rt, AccessToken: theirs.at, api_url_address: RELAY }),
    })
    // No relay mock: an exchange would fail the test (nock refuses unmatched requests).
    await expect(tokens.accessToken()).resolves.toBe(theirs.at)
    expect(tokens.refreshCount).toBe(0)
    expect(tokens.currentConfig()).toMatchObject({ refresh_token: theirs.rt, AccessToken: theirs.at })
    expect(save).not.toHaveBeenCalled() // the host holds them already
  })

  it('adopts a newer persisted refresh token whose access token is stale, and renews from it', async () => {
    const theirs = refreshToken()
    const next = { rt: refreshToken(), at: accessToken() }
    const relay = nock(RELAY_HOST)
      .get('/alicloud/renewapi')
      .query((q) => q.refresh_ui === theirs)
      .reply(200, { refresh_token: next.rt, access_token: next.at })
    const { tokens } = setup({
      loadConfig: async () =>
        parseConfig({ refresh_token: theirs, AccessToken: accessToken({ expInSec: -5 }), api_url_address: RELAY }),
    })
    await expect(tokens.accessToken()).resolves.toBe(next.at)
    expect(relay.isDone()).toBe(true)
  })

  it('reads, exchanges and saves inside the host lock', async () => {
    const events: string[] = []
    nock(RELAY_HOST)
      .get('/alicloud/renewapi')
      .query(true)
      .reply(200, () => {
        events.push('exchange')
        return { refresh_token: refreshToken(), access_token: accessToken() }
      })
    const { tokens, config } = setup({
      withTokenLock: async (fn) => {
        events.push('lock')
        try {
          return await fn()
        } finally {
          events.push('unlock')
        }
      },
      loadConfig: async () => {
        events.push('load')
        return { ...config }
      },
      saveConfig: async () => {
        events.push('save')
      },
    })
    await tokens.accessToken()
    expect(events).toEqual(['lock', 'load', 'exchange', 'save', 'unlock'])
  })

  it('on a refusal, re-reads once and renews from the token another process saved meanwhile', async () => {
    const ours = refreshToken()
    const theirs = refreshToken()
    const next = { rt: refreshToken(), at: accessToken() }
    let persisted = ours
    nock(RELAY_HOST)
      .get('/alicloud/renewapi')
      .query((q) => q.refresh_ui === ours)
      .reply(() => {
        persisted = theirs // the other process saved its rotation just as ours was refused
        return [500, { text: 'refresh token is invalid or expired' }]
      })
    const second = nock(RELAY_HOST)
      .get('/alicloud/renewapi')
      .query((q) => q.refresh_ui === theirs)
      .reply(200, { refresh_token: next.rt, access_token: next.at })
    const { tokens } = setup(
      { loadConfig: async () => parseConfig({ refresh_token: persisted, api_url_address: RELAY }) },
      { refresh_token: ours },
    )
    await expect(tokens.accessToken()).resolves.toBe(next.at)
    expect(second.isDone()).toBe(true)
  })

  it('on a refusal with the persisted token unchanged: UNAUTHORIZED after one exchange', async () => {
    const ours = refreshToken()
    const relay = nock(RELAY_HOST)
      .get('/alicloud/renewapi')
      .query(true)
      .once()
      .reply(500, { text: 'refresh token is invalid or expired' })
    const { tokens } = setup(
      { loadConfig: async () => parseConfig({ refresh_token: ours, api_url_address: RELAY }) },
      { refresh_token: ours },
    )
    await expect(tokens.accessToken()).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
    expect(relay.isDone()).toBe(true)
  })

  it('a saveConfig that never returns fails the call after the bound, and later calls fail at once without piling up saves', async () => {
    nock(RELAY_HOST)
      .get('/alicloud/renewapi')
      .query(true)
      .reply(200, { refresh_token: refreshToken(), access_token: accessToken() })
    const save = vi.fn(() => new Promise<void>(() => undefined))
    const { tokens } = setup({ saveConfig: save, hostTimeoutMs: 200 })
    await expect(tokens.accessToken()).rejects.toMatchObject({
      code: 'UPSTREAM',
      message: expect.stringMatching(/saveConfig did not finish within/),
    })
    await expect(tokens.accessToken()).rejects.toMatchObject({
      code: 'UPSTREAM',
      message: expect.stringMatching(/saveConfig did not finish within/),
    })
    expect(save).toHaveBeenCalledTimes(1)
  })

  it('a save that finally returns lets the next call through', async () => {
    nock(RELAY_HOST)
      .get('/alicloud/renewapi')
      .query(true)
      .reply(200, { refresh_token: refreshToken(), access_token: accessToken() })
    let finish!: () => void
    const save = vi
      .fn()
      .mockImplementationOnce(() => new Promise<void>((r) => (finish = r)))
      .mockImplementation(async () => {})
    const { tokens } = setup({ saveConfig: save, hostTimeoutMs: 100 })
    await expect(tokens.accessToken()).rejects.toMatchObject({ code: 'UPSTREAM' })
    finish()
    await new Promise((r) => setTimeout(r, 10))
    await expect(tokens.accessToken()).resolves.toBeTruthy()
    expect(tokens.refreshCount).toBe(1)
  })

  it('a host lock that is never granted fails the call with a clear error, and runs nothing later', async () => {
    let grant!: () => void
    const gate = new Promise<void>((r) => (grant = r))
    const load = vi.fn(async (): Promise<DriverConfig | undefined> => undefined)
    const { tokens } = setup({ withTokenLock: async (fn) => gate.then(fn), loadConfig: load, hostTimeoutMs: 50 })
    await expect(tokens.accessToken()).rejects.toMatchObject({
      code: 'UPSTREAM',
      message: expect.stringMatching(/withTokenLock did not grant/),
    })
    grant()
    await new Promise((r) => setTimeout(r, 10))
    expect(load).not.toHaveBeenCalled()
  })
})
