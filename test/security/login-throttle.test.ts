/**
 * Password guessing is throttled per client address (README "Password guessing is throttled"): failed logins through
 * /api/auth/login and WebDAV Basic back off with 429 + Retry-After, growing; a success resets; the right password
 * works again after the wait; the API token is never throttled.
 */
import type { IncomingMessage } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientKey, LoginThrottle } from '../../src/server/login-throttle.js'
import { PASSWORD, startStack, USER, type Stack } from '../helpers/stack.js'

const fakeReq = (remoteAddress: string) => ({ socket: { remoteAddress }, headers: {} }) as unknown as IncomingMessage

describe('LoginThrottle (clock passed in)', () => {
  it('allows the free failures, then locks for a doubling time, and a success resets', () => {
    const t = new LoginThrottle({ freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 8000 })
    const a = fakeReq('203.0.113.7')
    let now = 1_000_000
    for (let i = 0; i < 3; i++) {
      expect(t.waitMs(a, now)).toBe(0)
      t.failed(a, now)
    }
    expect(t.waitMs(a, now)).toBe(0)
    const locks: number[] = []
    for (let i = 0; i < 6; i++) {
      t.failed(a, now)
      locks.push(t.waitMs(a, now))
      now += locks.at(-1)!
      expect(t.waitMs(a, now)).toBe(0)
    }
    expect(locks).toEqual([1000, 2000, 4000, 8000, 8000, 8000])
    // Another address is not affected.
    expect(t.waitMs(fakeReq('203.0.113.8'), now - 1)).toBe(0)
    t.succeeded(a)
    t.failed(a, now)
    expect(t.waitMs(a, now)).toBe(0)
  })

  it('keys by address: IPv4-mapped is IPv4, IPv6 per /64', () => {
    expect(clientKey(fakeReq('::ffff:127.0.0.1'))).toBe('127.0.0.1')
    expect(clientKey(fakeReq('2001:db8:0:1::5'))).toBe('2001:db8:0:1::/64')
    expect(clientKey(fakeReq('2001:db8:0:1:aaaa:bbbb:cccc:dddd'))).toBe('2001:db8:0:1::/64')
    expect(clientKey(fakeReq('::1'))).toBe('0:0:0:0::/64')
  })

  it('forgets the oldest address beyond maxAddresses', () => {
    const t = new LoginThrottle({ freeFailures: 0, maxAddresses: 2 })
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) t.failed(fakeReq(ip), 0)
    expect(t.waitMs(fakeReq('10.0.0.1'), 0)).toBe(0)
    expect(t.waitMs(fakeReq('10.0.0.3'), 0)).toBeGreaterThan(0)
  })
})

describe('serve: failed logins back off', () => {
  let s: Stack
  beforeAll(async () => {
    s = await startStack(
      { seed: [{ path: '/a.txt', content: 'a' }] },
      { loginThrottle: { freeFailures: 2, baseDelayMs: 1000 } },
    )
  })
  afterAll(() => s?.close())

  const login = (password: string) =>
    fetch(`${s.server.apiUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: USER, password }),
    })
  const davAs = (password: string) =>
    fetch(`${s.server.davUrl}`, {
      method: 'PROPFIND',
      headers: { Depth: '0', Authorization: `Basic ${Buffer.from(`${USER}:${password}`).toString('base64')}` },
    })
  const waitFor = (r: Response) =>
    new Promise((resolve) => setTimeout(resolve, Number(r.headers.get('retry-after')) * 1000 + 50))

  it('login and Basic share one budget; 429 + Retry-After refuses even the right password; it works after waiting', async () => {
    expect(((await (await login('wrong-1')).json()) as { code: number }).code).toBe(400)
    expect((await davAs('wrong-2')).status).toBe(401)
    // Third failure: over the free two, locked for 1 s.
    expect(((await (await login('wrong-3')).json()) as { code: number }).code).toBe(400)

    const locked = await login(PASSWORD)
    expect(locked.status).toBe(429)
    expect(locked.headers.get('retry-after')).toBe('1')
    expect(await locked.json()).toMatchObject({ code: 429 })
    const lockedDav = await davAs(PASSWORD)
    expect(lockedDav.status).toBe(429)
    expect(lockedDav.headers.get('retry-after')).toBe('1')
    // The token is not a password: OpenList's mount keeps working during an attack.
    const byToken = await fetch(`${s.server.apiUrl}/fs/list`, {
      method: 'POST',
      headers: { authorization: s.server.token, 'content-type': 'application/json' },
      body: '{"path":"/"}',
    })
    expect(((await byToken.json()) as { code: number }).code).toBe(200)

    await waitFor(locked)
    // One more failure after the lock: the next lock is longer (2 s).
    expect((await davAs('wrong-4')).status).toBe(401)
    const longer = await login(PASSWORD)
    expect(longer.status).toBe(429)
    expect(longer.headers.get('retry-after')).toBe('2')

    await waitFor(longer)
    const good = await login(PASSWORD)
    // Each login is a session of its own (test/server/api-sessions.test.ts).
    expect(await good.json()).toMatchObject({ code: 200, data: { token: expect.any(String) } })
    // The success reset the address: the free failures are available again.
    expect((await davAs('wrong-5')).status).toBe(401)
    expect((await davAs(PASSWORD)).status).toBe(207)
  }, 20_000)
})
