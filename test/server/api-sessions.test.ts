/**
 * API tokens are sessions (src/server/api-sessions.ts): every login gets its own token, `/api/auth/logout` ends the
 * one it is called with and no other, tokens expire after `tokenExpiresInHours` (OpenList's token_expires_in), and a
 * token stays valid across a restart with the same secret. Before, the token was one constant HMAC: logout did not
 * exist (code 404) and a token read once was valid for ever.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiSessions } from '../../src/server/api-sessions.js'
import { startServer } from '../../src/server/index.js'
import { PASSWORD, startStack, USER, type Stack } from '../helpers/stack.js'
import { OpenListClient } from '../helpers/openlist-client.js'

let s: Stack
const SECRET = Buffer.from('a fixed secret for the restart case')

beforeAll(async () => {
  s = await startStack({ seed: [{ path: '/docs', folder: true }] }, { secret: SECRET })
})
afterAll(() => s?.close())

async function login(): Promise<string> {
  const r = await new OpenListClient(s.server.url, '').post('/auth/login', { username: USER, password: PASSWORD })
  expect(r.json.code).toBe(200)
  return r.json.data.token as string
}

const meCode = async (url: string, token: string) =>
  ((await new OpenListClient(url, token).get('/me')).json as { code: number }).code

describe('API sessions', () => {
  it('each login is its own session; logging out one (GET, as the UI does) leaves the others', async () => {
    const [a, b] = [await login(), await login()]
    expect(a).not.toBe(b)
    expect([await meCode(s.server.url, a), await meCode(s.server.url, b)]).toEqual([200, 200])
    const out = await new OpenListClient(s.server.url, a).get('/auth/logout')
    expect(out.json).toMatchObject({ code: 200 })
    expect(await meCode(s.server.url, a)).toBe(401)
    expect(await meCode(s.server.url, b)).toBe(200)
    // The token printed at start is another session again.
    expect(await meCode(s.server.url, s.server.token)).toBe(200)
    // A second logout with the ended token is refused like any stale token.
    expect((await new OpenListClient(s.server.url, a).get('/auth/logout')).json.code).toBe(401)
  })

  it('POST /api/auth/logout ends a Bearer session too', async () => {
    const t = await login()
    const out = await new OpenListClient(s.server.url, `Bearer ${t}`).post('/auth/logout', {})
    expect(out.json.code).toBe(200)
    expect(await meCode(s.server.url, t)).toBe(401)
  })

  it('a forged or altered token is refused', async () => {
    const t = await login()
    const [id, expiry, mac] = t.split('.') as [string, string, string]
    const later = (parseInt(expiry, 36) + 3_600_000).toString(36)
    for (const bad of [`${id}.${later}.${mac}`, `${id}x.${expiry}.${mac}`, `${id}.${expiry}`, `${t}.x`, 'a.b.c'])
      expect(await meCode(s.server.url, bad), bad).toBe(401)
  })

  it('a token expires after the configured lifetime', () => {
    let now = 1_000_000
    const sessions = new ApiSessions(Buffer.from('k'), 48 * 3_600_000, () => now)
    const t = sessions.issue()
    now += 48 * 3_600_000 - 1
    expect(sessions.check(t)).toBe(true)
    now += 1
    expect(sessions.check(t)).toBe(false)
    expect(() => new ApiSessions(Buffer.from('k'), 0)).toThrow(/positive/)
  })

  it('serve applies tokenExpiresInHours, and a token outlives a restart with the same secret', async () => {
    const short = await startServer({
      fs: s.server.fs,
      credentials: { user: USER, password: PASSWORD },
      secret: SECRET,
      port: 0,
      tokenExpiresInHours: 1 / 3_600_000_000,
    })
    try {
      // Issued with a lifetime of a thousandth of a millisecond: expired by the time it comes back.
      expect(await meCode(short.url, short.token)).toBe(401)
      // A token of the first server (same secret, user and password) is valid on this one.
      expect(await meCode(short.url, s.server.token)).toBe(200)
    } finally {
      await short.close()
    }
    await expect(
      startServer({
        fs: s.server.fs,
        credentials: { user: USER, password: PASSWORD },
        port: 0,
        tokenExpiresInHours: 0,
      }),
    ).rejects.toThrow(/positive number of hours/)
  })
})
