/**
 * A `TokenManager` for nock tests: renewal through a mocked relay (or own app, with `use_online_api: false` in
 * `settings`), a text-mode axios instance as the session builds one, no rate limiter, and fast back-off. Managers
 * of one account share a rotation chain by design (src/auth/token-chain.ts), so each test's managers leave it
 * afterwards, as a driver's drop() does: call `releaseTokenManagersAfterEach()` once per file.
 */
import axios from 'axios'
import { afterEach } from 'vitest'
import { TokenManager, type TokenManagerOptions } from '../../src/auth/token-manager.js'
import { parseConfig, type DriverConfig } from '../../src/config/index.js'
import { refreshToken } from './jwt.js'

export const TEST_API = 'https://openapi.test'
export const TEST_RELAY_ORIGIN = 'https://relay.test'
export const TEST_RELAY = `${TEST_RELAY_ORIGIN}/alicloud/renewapi`

const created: TokenManager[] = []

export function releaseTokenManagersAfterEach(): void {
  afterEach(() => {
    for (const t of created.splice(0)) t.release()
  })
}

/** `settings` go through parseConfig over a fresh refresh token and the test relay; `options` override the rest. */
export function nockTokenManager(
  settings: Record<string, unknown> = {},
  options: Partial<TokenManagerOptions> = {},
): { config: DriverConfig; tokens: TokenManager } {
  const config = parseConfig({ refresh_token: refreshToken(), api_url_address: TEST_RELAY, ...settings })
  const tokens = new TokenManager({
    config,
    http: axios.create({ validateStatus: () => true, responseType: 'text', transformResponse: [(d: unknown) => d] }),
    apiBaseUrl: TEST_API,
    acquire: async () => {},
    backoffMs: 5,
    ...options,
  })
  created.push(tokens)
  return { config, tokens }
}
