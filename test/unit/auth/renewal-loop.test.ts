/**
 * The token exchange's repeats (src/auth/token-manager.ts on src/util/retry.ts): they are the only ones a failed
 * renewal gets (the request path does not repeat them again), their waits end when nobody waits for the rotation,
 * and an exchange already sent is heard out and saved even then.
 */
import nock from 'nock'
import { describe, expect, it } from 'vitest'
import type { DriverConfig } from '../../../src/config/index.js'
import { ApiClient } from '../../../src/http/api-client.js'
import { ENDPOINTS } from '../../../src/api/endpoints.js'
import { driveInfoSchema } from '../../../src/api/wire.js'
import { useNock } from '../../helpers/nock-setup.js'
import {
  TEST_API as API,
  TEST_RELAY_ORIGIN as RELAY_ORIGIN,
  nockTokenManager,
  releaseTokenManagersAfterEach,
} from '../../helpers/token-manager.js'
import { accessToken, refreshToken } from '../../helpers/jwt.js'

useNock()

releaseTokenManagersAfterEach()

function manager(opts: {
  attempts: number
  backoffMs: number
  save?: (c: DriverConfig) => void
  withTokenLock?: <T>(fn: () => Promise<T>) => Promise<T>
}) {
  return nockTokenManager(
    {},
    {
      attempts: opts.attempts,
      backoffMs: opts.backoffMs,
      ...(opts.save ? { saveConfig: opts.save } : {}),
      ...(opts.withTokenLock ? { withTokenLock: opts.withTokenLock } : {}),
    },
  ).tokens
}

describe('the renewal loop', () => {
  it('is not repeated by the request path: a relay that keeps failing is asked `attempts` times, not more', async () => {
    const tokens = manager({ attempts: 2, backoffMs: 1 })
    let relayCalls = 0
    // Persisted: answers however often it is asked (the count below is the check), and is not left "unmade".
    nock(RELAY_ORIGIN)
      .persist()
      .get('/alicloud/renewapi')
      .query(true)
      .reply(() => {
        relayCalls++
        return [503, 'relay down']
      })
    const api = new ApiClient({
      baseUrl: API,
      tokens,
      acquire: async () => {},
      retry: { minDelayMs: 1, maxDelayMs: 2 },
    })
    await expect(api.call(ENDPOINTS.driveInfo, {}, driveInfoSchema)).rejects.toMatchObject({ code: 'UPSTREAM' })
    // Nested loops would make this 2 × (1 + 3 request-path retries) = 8.
    expect(relayCalls).toBe(2)
    expect(api.stats.retries).toBe(0)
  })

  it('stops sleeping once every caller has given up, so the next caller starts afresh instead of waiting on it', async () => {
    const tokens = manager({ attempts: 3, backoffMs: 3_600_000 })
    nock(RELAY_ORIGIN).get('/alicloud/renewapi').query(true).reply(503, 'relay down')
    const ac = new AbortController()
    const first = tokens.accessToken(ac.signal)
    await new Promise((r) => setTimeout(r, 50)) // the first exchange has failed; the rotation sleeps for an hour
    ac.abort(new Error('caller went away'))
    await expect(first).rejects.toMatchObject({ code: 'ABORTED' })
    const at = accessToken()
    nock(RELAY_ORIGIN)
      .get('/alicloud/renewapi')
      .query(true)
      .reply(200, { refresh_token: refreshToken(), access_token: at })
    // Before the loop took the rotation's stop signal, this joined the hour-long sleep and the test timed out.
    await expect(tokens.accessToken()).resolves.toBe(at)
  })

  it('hears out an exchange already sent when its caller gives up, and saves what it returned', async () => {
    const saved: string[] = []
    const tokens = manager({ attempts: 3, backoffMs: 1, save: (c) => void saved.push(c.refresh_token) })
    const rotated = refreshToken()
    nock(RELAY_ORIGIN)
      .get('/alicloud/renewapi')
      .query(true)
      .delay(150)
      .reply(200, { refresh_token: rotated, access_token: accessToken() })
    const ac = new AbortController()
    const call = tokens.accessToken(ac.signal)
    setTimeout(() => ac.abort(new Error('caller went away')), 30)
    await expect(call).rejects.toMatchObject({ code: 'ABORTED' })
    await expect.poll(() => saved, { timeout: 5_000 }).toEqual([rotated])
    expect(tokens.currentConfig().refresh_token).toBe(rotated)
  })

  it('stops waiting for the host lock once every caller has given up; a caller arriving then starts afresh', async () => {
    let grant: () => void = () => undefined
    const granted = new Promise<void>((r) => (grant = r))
    let ranUnderLock = 0
    const tokens = manager({
      attempts: 1,
      backoffMs: 1,
      withTokenLock: async (fn) => {
        await granted
        ranUnderLock++
        return fn()
      },
    })
    const ac = new AbortController()
    const call = tokens.accessToken(ac.signal)
    await new Promise((r) => setTimeout(r, 10)) // the rotation now waits for the lock, and the caller for it
    ac.abort(new Error('caller went away'))
    await expect(call).rejects.toMatchObject({ code: 'ABORTED' })
    // A caller arriving now must neither inherit the abort nor exchange beside the abandoned rotation.
    const at = accessToken()
    nock(RELAY_ORIGIN)
      .get('/alicloud/renewapi')
      .query(true)
      .reply(200, { refresh_token: refreshToken(), access_token: at })
    const next = tokens.accessToken()
    await new Promise((r) => setTimeout(r, 10))
    grant()
    await expect(next).resolves.toBe(at)
    expect(ranUnderLock).toBe(2) // the abandoned rotation's turn under the lock ran nothing; the new one exchanged
    expect(tokens.refreshCount).toBe(1)
  })
})
