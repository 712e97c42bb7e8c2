/**
 * The QR-code login loop, the same for every route: show a code, poll it politely, report each state change, replace
 * an expired code a few times, then give up with a message that says so. Momentary server trouble (5xx, network) is
 * tolerated a few times in a row; a refusal ends the login at once. Aborting (Ctrl-C) ends it at the next await.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { DriverError } from '../errors/index.js'
import { LoginRefused, LoginTransient, type LoginRoute, type LoginTokens, type QrCode } from './types.js'

export interface LoginLoopOptions {
  route: LoginRoute
  signal: AbortSignal
  /** Between two status reads; 2–3 s is polite to the relay (its per-IP quota is shared with token renewal). */
  pollIntervalMs: number
  /** The local deadline of one code: the TV relay answers "waiting" even for an expired code. */
  codeLifetimeMs: number
  /** How many codes to show in all before giving up. */
  maxCodes: number
  /** Consecutive 5xx/network answers tolerated. */
  maxTransient: number
  showCode(code: QrCode, number: number): void | Promise<void>
  onState(state: 'waiting' | 'scanned' | 'expired' | 'confirmed'): void
  now?: () => number
}

export async function runQrLogin(o: LoginLoopOptions): Promise<LoginTokens> {
  const now = o.now ?? Date.now
  let transient = 0
  const tolerate = async (e: unknown): Promise<void> => {
    if (!(e instanceof LoginTransient)) throw e instanceof LoginRefused ? new DriverError('UNAUTHORIZED', e.message) : e
    if (++transient > o.maxTransient)
      throw new DriverError('UPSTREAM', `${e.message} (${transient} times in a row; giving up, nothing was written)`)
    await sleep(o.pollIntervalMs, undefined, { signal: o.signal })
  }
  for (let number = 1; number <= o.maxCodes;) {
    let code: QrCode
    try {
      code = await o.route.start(o.signal)
      transient = 0
    } catch (e) {
      await tolerate(e)
      continue
    }
    await o.showCode(code, number)
    o.onState('waiting')
    let last = 'waiting'
    const deadline = now() + o.codeLifetimeMs
    for (;;) {
      await sleep(o.pollIntervalMs, undefined, { signal: o.signal })
      let result
      try {
        result = await o.route.poll(code, o.signal)
        transient = 0
      } catch (e) {
        await tolerate(e)
        continue
      }
      if (result.state === 'confirmed') {
        o.onState('confirmed')
        return result.tokens
      }
      const state = result.state === 'waiting' && now() >= deadline ? 'expired' : result.state
      if (state !== last) o.onState(state)
      last = state
      if (state === 'expired') break
    }
    number++
  }
  throw new DriverError(
    'UNAUTHORIZED',
    `no login: ${o.maxCodes} QR codes expired without being confirmed; run login again when you have the phone at hand`,
  )
}
