/**
 * Password checks are spaced, never locked out (RELIABILITY.md, "The login throttle never locks the owner out"): per
 * (address, user) key, a few free failures, then one check per 500 ms, a request that comes early held for its turn
 * (at most 5 s) instead of refused, so the owner behind the same NAT as an attacker still gets in. The attack runs on
 * an injected clock: no real waiting.
 */
import type { IncomingMessage } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientKey, LoginThrottle, type ThrottleKey } from '../../src/server/login-throttle.js'
import { PASSWORD, startStack, USER, type Stack } from '../helpers/stack.js'

const fakeReq = (remoteAddress: string) => ({ socket: { remoteAddress }, headers: {} }) as unknown as IncomingMessage
const ADMIN: ThrottleKey = { address: '203.0.113.7', user: 'admin' }

describe('LoginThrottle (clock passed in)', () => {
  it('free failures, then one check per spacing: early ones are held for their turn, too far ones refused', () => {
    let now = 1_000_000
    const t = new LoginThrottle({ freeFailures: 2, spacingMs: 500, maxHoldMs: 1000 }, () => now)
    for (let i = 0; i < 2; i++) {
      expect(t.admit(ADMIN)).toEqual({ holdMs: 0 })
      t.failed(ADMIN)
    }
    // Three requests at once: turns at +500, +1000; the third's would be +1500, over the 1 s hold.
    expect(t.admit(ADMIN)).toEqual({ holdMs: 500 })
    expect(t.admit(ADMIN)).toEqual({ holdMs: 1000 })
    expect(t.admit(ADMIN)).toEqual({ retryAfterMs: 500 })
    // Other keys are not affected: another address, another user, a name that is no account.
    for (const other of [
      { ...ADMIN, address: '203.0.113.8' },
      { ...ADMIN, user: '' },
    ])
      expect(t.admit(other)).toEqual({ holdMs: 0 })
    // A quiet quarter of an hour forgets the failures.
    now += 15 * 60_000 + 1
    expect(t.admit(ADMIN)).toEqual({ holdMs: 0 })
  })

  it('keys by address: IPv4-mapped is IPv4, IPv6 per /64', () => {
    expect(clientKey(fakeReq('::ffff:127.0.0.1'))).toBe('127.0.0.1')
    expect(clientKey(fakeReq('2001:db8:0:1::5'))).toBe('2001:db8:0:1::/64')
    expect(clientKey(fakeReq('2001:db8:0:1:aaaa:bbbb:cccc:dddd'))).toBe('2001:db8:0:1::/64')
    expect(clientKey(fakeReq('::1'))).toBe('0:0:0:0::/64')
  })

  it('forgets the least recently failed key beyond maxKeys', () => {
    const t = new LoginThrottle({ freeFailures: 0, maxKeys: 2 }, () => 0)
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) t.failed({ address, user: 'admin' })
    expect(t.admit({ address: '10.0.0.1', user: 'admin' })).toEqual({ holdMs: 0 })
    expect(t.admit({ address: '10.0.0.3', user: 'admin' })).toEqual({ holdMs: 500 })
  })

  it('30 s of an attacker at the allowed pace from the owner’s address: the owner gets in every time, within 6 s', () => {
    // Both sides behind one NAT, both as "admin": one key. The attacker sends a wrong password as soon as the last
    // one was answered, honouring Retry-After; the owner tries once a second after each success.
    let now = 0
    const t = new LoginThrottle({}, () => now)
    const queue: Array<{ at: number; run: () => void }> = []
    const at = (time: number, run: () => void) => queue.push({ at: time, run })
    let guesses = 0
    let logins = 0
    const ownerWaits: number[] = []
    const attacker = () => {
      const a = t.admit(ADMIN)
      if ('retryAfterMs' in a) return at(now + Math.ceil(a.retryAfterMs / 1000) * 1000, attacker)
      at(now + a.holdMs, () => {
        t.failed(ADMIN)
        guesses++
        attacker()
      })
    }
    const owner = (since: number) => {
      const a = t.admit(ADMIN)
      if ('retryAfterMs' in a) return at(now + Math.ceil(a.retryAfterMs / 1000) * 1000, () => owner(since))
      at(now + a.holdMs, () => {
        // The right password: checked at its turn, and it passes.
        ownerWaits.push(now - since)
        logins++
        at(now + 1000, () => owner(now + 1000))
      })
    }
    at(0, attacker)
    at(250, () => owner(250))
    while (queue.length > 0) {
      queue.sort((x, y) => x.at - y.at)
      const next = queue.shift()!
      if (next.at > 30_000) break
      now = next.at
      next.run()
    }
    expect(logins).toBeGreaterThanOrEqual(10)
    expect(Math.max(...ownerWaits)).toBeLessThanOrEqual(6000)
    // About two guesses a second, plus the free ones.
    expect(guesses).toBeLessThanOrEqual(2 * 30 + 3)
    console.log(`owner: ${logins} logins, longest wait ${Math.max(...ownerWaits)} ms; attacker: ${guesses} guesses`)
  })
})

describe('serve: password checks are spaced, not refused', () => {
  let s: Stack
  beforeAll(async () => {
    // A hold of 1 s at most, so the test also sees the 429 for a turn further away.
    s = await startStack(
      { seed: [{ path: '/a.txt', content: 'a' }] },
      { loginThrottle: { freeFailures: 2, spacingMs: 1000, maxHoldMs: 1000 } },
    )
  })
  afterAll(() => s?.close())

  const login = (password: string, username = USER) =>
    fetch(`${s.server.apiUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    })
  const davAs = (password: string) =>
    fetch(`${s.server.davUrl}`, {
      method: 'PROPFIND',
      headers: { Depth: '0', Authorization: `Basic ${Buffer.from(`${USER}:${password}`).toString('base64')}` },
    })
  const code = async (r: Response) => ((await r.json()) as { code: number }).code

  it('login and Basic share one key; past the free failures the right password still gets in; too many at once get 429', async () => {
    expect(await code(await login('wrong-1'))).toBe(400)
    expect((await davAs('wrong-2')).status).toBe(401)
    // Past the free two: the next checks are held for their turn, and the right password passes (no lock-out).
    expect(await code(await login(PASSWORD))).toBe(200)
    expect((await davAs(PASSWORD)).status).toBe(207)
    // Three at once: turns at +1 s and +2 s; the second is beyond the 1 s hold and is told to come back.
    const answers = await Promise.all([login('wrong-3'), login('wrong-4'), davAs('wrong-5')])
    const statuses = answers.map((r) => r.status).sort()
    expect(statuses).toContain(429)
    const refused = answers.find((r) => r.status === 429)!
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    // The token is not a password: OpenList's mount keeps working meanwhile.
    const byToken = await fetch(`${s.server.apiUrl}/fs/list`, {
      method: 'POST',
      headers: { authorization: s.server.token, 'content-type': 'application/json' },
      body: '{"path":"/"}',
    })
    expect(await code(byToken)).toBe(200)
    // Names that are no account have their own key: inventing them neither helps nor slows the admin.
    expect(await code(await login('x', 'nobody'))).toBe(400)
  }, 20_000)
})

describe('serve: Basic credentials found right are not slowed', () => {
  let s: Stack
  beforeAll(async () => {
    // A turn a minute away and no holding: every check past the free failure would be 429.
    s = await startStack(
      { seed: [{ path: '/a.txt', content: 'a' }] },
      { loginThrottle: { freeFailures: 1, spacingMs: 60_000, maxHoldMs: 0 } },
    )
  })
  afterAll(() => s?.close())

  const davAs = (password: string) =>
    fetch(`${s.server.davUrl}`, {
      method: 'PROPFIND',
      headers: { Depth: '0', Authorization: `Basic ${Buffer.from(`${USER}:${password}`).toString('base64')}` },
    })

  it('a WebDAV client whose password was right keeps working while guesses from its address wait', async () => {
    expect((await davAs(PASSWORD)).status).toBe(207)
    expect((await davAs('wrong-1')).status).toBe(401)
    expect((await davAs('wrong-2')).status).toBe(429)
    // The owner's client sends the same right credentials with every request: checked, not held.
    expect((await davAs(PASSWORD)).status).toBe(207)
    // A password login has no such pass: it waits for its turn like any guess.
    const login = await fetch(`${s.server.apiUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: USER, password: PASSWORD }),
    })
    expect(login.status).toBe(429)
  })
})
