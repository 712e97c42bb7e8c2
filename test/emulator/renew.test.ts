import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeJwtClaims } from '../../src/auth/jwt.js'
import type { EmulatorHandle } from '../../src/emulator/index.js'
import { call, emulator } from '../helpers/emulator.js'

let emu: EmulatorHandle
beforeAll(async () => {
  ;({ emu } = await emulator())
})
afterAll(() => emu.close())

// Loose JSON on purpose: each test reads the fields it checks.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function renew(query: Record<string, string>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${emu.renewApiUrl}?${new URLSearchParams(query)}`)
  expect(res.headers.get('content-type')).toMatch(/application\/json/)
  return { status: res.status, body: await res.json() }
}

describe('renew relay GET /alicloud/renewapi (docs/api-notes.md §2.6)', () => {
  it('alicloud_qr with server_use=true answers exactly {refresh_token, access_token} and rotates the token', async () => {
    const rt = emu.issueRefreshToken()
    const r = await renew({ refresh_ui: rt, server_use: 'true', driver_txt: 'alicloud_qr' })
    expect(r.status).toBe(200)
    expect(Object.keys(r.body).sort()).toEqual(['access_token', 'refresh_token'])
    expect(r.body.refresh_token).not.toBe(rt)
    expect(decodeJwtClaims(r.body.access_token)?.sub).toBe(emu.userId)
    const api = await call(emu, r.body.access_token, '/adrive/v1.0/user/getDriveInfo')
    expect(api.status).toBe(200)
    // single use through the relay too; the upstream message comes back as `text`
    const again = await renew({ refresh_ui: rt, server_use: 'true', driver_txt: 'alicloud_qr' })
    expect(again.status).toBe(500)
    expect(typeof again.body.text).toBe('string')
    expect(again.body.text.length).toBeGreaterThan(0)
  })

  it('without server_use requires driver_txt and client_key, and uses client_uid/client_key', async () => {
    const missing = await renew({ refresh_ui: emu.issueRefreshToken(), driver_txt: 'alicloud_qr' })
    expect(missing).toEqual({ status: 500, body: { text: '传入参数缺少' } })
    const wrong = await renew({
      refresh_ui: emu.issueRefreshToken(),
      driver_txt: 'alicloud_qr',
      client_uid: emu.clientId,
      client_key: 'bad',
    })
    expect(wrong.status).toBe(500)
    const ok = await renew({
      refresh_ui: emu.issueRefreshToken(),
      driver_txt: 'alicloud_qr',
      server_use: 'false',
      client_uid: emu.clientId,
      client_key: emu.clientSecret,
    })
    expect(ok.status).toBe(200)
    expect(ok.body.access_token).toBeTruthy()
  })

  it('missing refresh_ui → 500 {text}', async () => {
    expect(await renew({ server_use: 'true', driver_txt: 'alicloud_qr' })).toEqual({
      status: 500,
      body: { text: '缺少刷新令牌' },
    })
  })

  it('alicloud_tv refreshes tokens of the TV app and refuses others', async () => {
    const tv = await renew({ refresh_ui: emu.issueRefreshToken('tv'), server_use: 'true', driver_txt: 'alicloud_tv' })
    expect(tv.status).toBe(200)
    expect(decodeJwtClaims(tv.body.access_token)?.aud).toBe(emu.tvClientId)
    expect(tv.body.refresh_token).toBeTruthy()
    const api = await call(emu, tv.body.access_token, '/adrive/v1.0/user/getDriveInfo')
    expect(api.body.user_id).toBe(emu.userId)
    const wrongApp = await renew({ refresh_ui: emu.issueRefreshToken(), server_use: 'true', driver_txt: 'alicloud_tv' })
    expect(wrongApp).toEqual({ status: 500, body: { text: '刷新Token失败' } })
  })
})
