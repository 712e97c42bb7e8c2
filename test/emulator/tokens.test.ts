import { afterEach, describe, expect, it } from 'vitest'
import { decodeJwtClaims } from '../../src/auth/jwt.js'
import type { EmulatorHandle } from '../../src/emulator/index.js'
import { tokenResponseSchema } from '../../src/api/wire.js'
import { call, emulator } from '../helpers/emulator.js'

let emu: EmulatorHandle | undefined
afterEach(async () => {
  await emu?.close()
  emu = undefined
})

const refreshBody = (e: EmulatorHandle, refresh_token: string) => ({
  client_id: e.clientId,
  client_secret: e.clientSecret,
  grant_type: 'refresh_token',
  refresh_token,
})

describe('tokens (docs/api-notes.md §2)', () => {
  it('mints JWT-shaped tokens whose payload decodes with the standard alphabet and carries sub/aud/exp/iat', async () => {
    ;({ emu } = await emulator())
    for (let i = 0; i < 50; i++) {
      for (const t of [emu.issueAccessToken(), emu.issueRefreshToken()]) {
        const parts = t.split('.')
        expect(parts).toHaveLength(3)
        expect(parts[1]).not.toMatch(/[-_=]/)
        const claims = decodeJwtClaims(t)!
        expect(claims.sub).toBe(emu.userId)
        expect(claims.aud).toBe(emu.clientId)
        expect(typeof claims.exp).toBe('number')
        expect(typeof claims.iat).toBe('number')
      }
    }
    expect(emu.clientId).toMatch(/^[0-9a-f]{32}$/)
    expect(emu.userId).toMatch(/^[0-9a-f]{32}$/)
  })

  it('refresh tokens are single use: the second exchange fails with RefreshTokenInvalid', async () => {
    ;({ emu } = await emulator())
    const rt = emu.issueRefreshToken()
    const first = await call(emu, undefined, '/oauth/access_token', refreshBody(emu, rt))
    expect(first.status).toBe(200)
    expect(tokenResponseSchema.parse(first.body).refresh_token).not.toBe(rt)
    expect(first.body.token_type).toBe('Bearer')
    expect(first.body.expires_in).toBe(7200)
    const again = await call(emu, undefined, '/oauth/access_token', refreshBody(emu, rt))
    expect([400, 401]).toContain(again.status)
    expect(again.body.code).toBe('RefreshTokenInvalid')
    expect(again.body.requestId).toBeTruthy()
    // The rotated token works once.
    const next = await call(emu, undefined, '/oauth/access_token', refreshBody(emu, first.body.refresh_token))
    expect(next.status).toBe(200)
    expect(emu.stats().refreshes).toBe(2)
  })

  it('accepts form-urlencoded token requests and checks the client secret', async () => {
    ;({ emu } = await emulator())
    const form = new URLSearchParams(refreshBody(emu, emu.issueRefreshToken()))
    const ok = await fetch(`${emu.apiUrl}/oauth/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    })
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as { access_token: string }).access_token.split('.')).toHaveLength(3)
    const bad = await call(emu, undefined, '/oauth/access_token', {
      ...refreshBody(emu, emu.issueRefreshToken()),
      client_secret: 'nope',
    })
    expect(bad.status).toBe(400)
    expect(bad.body.code).toBe('InvalidClientSecret')
  })

  it('supports the authorization_code grant with single-use codes from /oauth/authorize', async () => {
    ;({ emu } = await emulator())
    const res = await fetch(
      `${emu.apiUrl}/oauth/authorize?client_id=${emu.clientId}&redirect_uri=${encodeURIComponent('http://localhost/cb')}&state=s1&response_type=code`,
      { redirect: 'manual' },
    )
    expect(res.status).toBe(302)
    const loc = new URL(res.headers.get('location')!)
    expect(loc.searchParams.get('state')).toBe('s1')
    const code = loc.searchParams.get('code')!
    const body = { client_id: emu.clientId, client_secret: emu.clientSecret, grant_type: 'authorization_code', code }
    const ok = await call(emu, undefined, '/oauth/access_token', body)
    expect(ok.status).toBe(200)
    expect(decodeJwtClaims(ok.body.access_token)?.sub).toBe(emu.userId)
    const reused = await call(emu, undefined, '/oauth/access_token', body)
    expect(reused.body.code).toBe('InvalidCode')
  })

  it('answers 401 AccessTokenInvalid for garbage, missing and foreign tokens', async () => {
    ;({ emu } = await emulator())
    const other = await emulator()
    try {
      for (const t of ['garbage', '', 'a.b.c', other.emu.issueAccessToken()]) {
        const r = await call(emu, t, '/adrive/v1.0/user/getDriveInfo')
        expect(r.status).toBe(401)
        expect(r.body.code).toBe('AccessTokenInvalid')
        expect(r.headers.get('content-type')).toMatch(/application\/json/)
      }
      const none = await call(emu, undefined, '/adrive/v1.0/user/getDriveInfo')
      expect(none.body.code).toBe('AccessTokenInvalid')
    } finally {
      await other.emu.close()
    }
  })

  it('expires access tokens after accessTokenTtlSec (AccessTokenExpired, 401)', async () => {
    let clock = Date.UTC(2025, 0, 1)
    ;({ emu } = await emulator({ now: () => clock, accessTokenTtlSec: 60 }))
    const t = emu.issueAccessToken()
    expect(decodeJwtClaims(t)!.exp! - decodeJwtClaims(t)!.iat!).toBe(60)
    expect((await call(emu, t, '/adrive/v1.0/user/getDriveInfo')).status).toBe(200)
    clock += 61_000
    const r = await call(emu, t, '/adrive/v1.0/user/getDriveInfo')
    expect(r.status).toBe(401)
    expect(r.body.code).toBe('AccessTokenExpired')
  })

  it('expireAccessTokens() expires every current token', async () => {
    ;({ emu } = await emulator())
    const t = emu.issueAccessToken()
    emu.expireAccessTokens()
    expect((await call(emu, t, '/adrive/v1.0/user/getDriveInfo')).body.code).toBe('AccessTokenExpired')
    expect((await call(emu, emu.issueAccessToken(), '/adrive/v1.0/user/getDriveInfo')).status).toBe(200)
  })

  it('keeps the previous access token valid for a grace period after a refresh, then rejects it', async () => {
    let clock = Date.UTC(2025, 0, 1)
    ;({ emu } = await emulator({ now: () => clock, accessTokenGraceSec: 30 }))
    const old = emu.issueAccessToken()
    const r = await call(emu, undefined, '/oauth/access_token', refreshBody(emu, emu.issueRefreshToken()))
    expect(r.status).toBe(200)
    clock += 10_000
    expect((await call(emu, old, '/adrive/v1.0/user/getDriveInfo')).status).toBe(200)
    clock += 25_000
    const late = await call(emu, old, '/adrive/v1.0/user/getDriveInfo')
    expect(late.status).toBe(401)
    expect(late.body.code).toBe('AccessTokenInvalid')
    expect((await call(emu, r.body.access_token, '/adrive/v1.0/user/getDriveInfo')).status).toBe(200)
  })
})
