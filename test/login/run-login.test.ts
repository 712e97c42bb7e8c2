/** The login loop with scripted routes: momentary trouble is ridden out, refusals end it, expiry replaces the code. */
import { describe, expect, it } from 'vitest'
import { isDriverError } from '../../src/errors/index.js'
import { runQrLogin } from '../../src/login/run-login.js'
import { LoginRefused, LoginTransient, type LoginRoute, type PollResult } from '../../src/login/types.js'

type Step = PollResult | Error

function scripted(steps: Step[]): LoginRoute & { started: number } {
  let n = 0
  const route = {
    label: 'test',
    renewal: { use_online_api: true },
    started: 0,
    async start() {
      route.started++
      return { sid: `s${route.started}`, qrCodeUrl: 'q', scanUrl: 'u' }
    },
    async poll(): Promise<PollResult> {
      const step = steps[n++]
      if (!step) throw new Error('script exhausted')
      if (step instanceof Error) throw step
      return step
    },
  }
  return route
}

const run = (route: LoginRoute, states: string[] = [], maxCodes = 3) =>
  runQrLogin({
    route,
    signal: new AbortController().signal,
    pollIntervalMs: 0,
    codeLifetimeMs: 60_000,
    maxCodes,
    maxTransient: 2,
    showCode: () => undefined,
    onState: (s) => states.push(s),
  })

const tokens = { refreshToken: 'r', accessToken: 'a' }

describe('runQrLogin', () => {
  it('rides out up to maxTransient 5xx answers in a row while polling, and reports each state change once', async () => {
    const states: string[] = []
    const route = scripted([
      { state: 'waiting' },
      new LoginTransient('HTTP 502'),
      new LoginTransient('HTTP 503'),
      { state: 'waiting' },
      { state: 'scanned' },
      { state: 'scanned' },
      { state: 'confirmed', tokens },
    ])
    expect(await run(route, states)).toEqual(tokens)
    expect(states).toEqual(['waiting', 'scanned', 'confirmed'])
  })

  it('gives up after more than maxTransient in a row', async () => {
    const route = scripted([
      new LoginTransient('HTTP 500 a'),
      new LoginTransient('HTTP 500 b'),
      new LoginTransient('HTTP 500 c'),
    ])
    const err = await run(route).catch((e: unknown) => e)
    expect(isDriverError(err) && err.code).toBe('UPSTREAM')
    expect((err as Error).message).toContain('HTTP 500 c (3 times in a row')
  })

  it('a refusal ends the login at once', async () => {
    const route = scripted([{ state: 'waiting' }, new LoginRefused('InvalidCode: bad'), { state: 'confirmed', tokens }])
    const err = await run(route).catch((e: unknown) => e)
    expect(isDriverError(err) && err.code).toBe('UNAUTHORIZED')
  })

  it('an expired code is replaced by a new one, up to maxCodes', async () => {
    const route = scripted([{ state: 'expired' }, { state: 'waiting' }, { state: 'confirmed', tokens }])
    expect(await run(route)).toEqual(tokens)
    expect(route.started).toBe(2)
    const never = scripted([{ state: 'expired' }, { state: 'expired' }])
    await expect(run(never, [], 2)).rejects.toThrow('2 QR codes expired')
  })
})
