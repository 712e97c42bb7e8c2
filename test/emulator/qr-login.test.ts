/**
 * The emulator's QR-code login over raw HTTP: the Open API device flow, and the relay's /alicloud/requests and
 * /alicloud/callback with their cookies and answers (OpenList-APIPages alicloud_oa.ts, alicloud_tv.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'

let emu: EmulatorHandle
let clock = Date.now()

beforeAll(async () => {
  emu = await startEmulator({ port: 0, limits: false, qrCodeTtlSec: 60, now: () => clock })
})
afterAll(() => emu.close())

const getJson = async (url: string, headers: Record<string, string> = {}) => {
  const r = await fetch(url, { headers })
  return { status: r.status, body: (await r.json()) as Record<string, unknown>, cookies: r.headers.getSetCookie() }
}

describe('Open API QR login', () => {
  it('WaitLogin → (page opened) ScanSuccess → LoginSuccess with a code the authorization_code grant takes', async () => {
    const create = await fetch(`${emu.apiUrl}/oauth/authorize/qrcode`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_id: emu.clientId, client_secret: emu.clientSecret, scopes: ['user:base'] }),
    })
    const { qrCodeUrl, sid } = (await create.json()) as { qrCodeUrl: string; sid: string }
    const status = async () => (await getJson(`${emu.apiUrl}/oauth/qrcode/${sid}/status`)).body
    expect(await status()).toEqual({ status: 'WaitLogin' })
    expect((await fetch(qrCodeUrl)).status).toBe(200)
    expect(await status()).toEqual({ status: 'ScanSuccess' })
    const done = await status()
    expect(done.status).toBe('LoginSuccess')
    const grant = await fetch(`${emu.apiUrl}/oauth/access_token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        client_id: emu.clientId,
        client_secret: emu.clientSecret,
        grant_type: 'authorization_code',
        code: done.authCode,
      }),
    })
    expect(grant.status).toBe(200)
    expect(((await grant.json()) as { refresh_token: string }).refresh_token).toMatch(/^eyJ/)
  })

  it('a code not confirmed in time turns QRCodeExpired and its page answers 410', async () => {
    const create = await fetch(`${emu.apiUrl}/oauth/authorize/qrcode`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_id: emu.clientId, client_secret: emu.clientSecret, scopes: ['user:base'] }),
    })
    const { sid } = (await create.json()) as { sid: string }
    clock += 61_000
    expect((await getJson(`${emu.apiUrl}/oauth/qrcode/${sid}/status`)).body).toEqual({ status: 'QRCodeExpired' })
    expect((await fetch(`${emu.apiUrl}/o/oauth/authorize?sid=${sid}`)).status).toBe(410)
  })

  it('refuses a wrong client secret', async () => {
    const r = await fetch(`${emu.apiUrl}/oauth/authorize/qrcode`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_id: emu.clientId, client_secret: 'x', scopes: ['user:base'] }),
    })
    expect(r.status).toBe(400)
    expect(((await r.json()) as { code: string }).code).toBe('InvalidClientSecret')
  })
})

describe('relay login routes', () => {
  it('alicloud_qr: cookies, 401 "Login failed:<status>" while waiting, then the official token JSON; cookies cleared', async () => {
    const start = await getJson(`${emu.apiUrl}/alicloud/requests?driver_txt=alicloud_qr&server_use=true`)
    expect(start.status).toBe(200)
    expect(start.cookies.map((c) => c.split(';')[0])).toEqual(['driver_txt=alicloud_qr', 'server_use=true'])
    const cookie = start.cookies.map((c) => c.split(';')[0]).join('; ')
    const sid = start.body.sid as string
    const poll = () => getJson(`${emu.apiUrl}/alicloud/callback?code=${sid}&server_use=true`, { Cookie: cookie })
    expect(await poll()).toMatchObject({ status: 401, body: { text: 'Login failed:WaitLogin' } })
    await fetch(start.body.text as string)
    expect(await poll()).toMatchObject({ status: 401, body: { text: 'Login failed:ScanSuccess' } })
    const done = await poll()
    expect(done.status).toBe(200)
    expect(Object.keys(done.body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type'])
    expect(done.cookies.every((c) => /Max-Age=0/.test(c))).toBe(true)
  })

  it('alicloud_qr without cookies: 401 No Cookies; without a code: 400 Code missed', async () => {
    expect(await getJson(`${emu.apiUrl}/alicloud/callback?code=x&server_use=true`)).toMatchObject({
      status: 401,
      body: { text: 'No Cookies' },
    })
    expect(
      await getJson(`${emu.apiUrl}/alicloud/callback?server_use=true`, {
        Cookie: 'driver_txt=alicloud_qr; server_use=true',
      }),
    ).toMatchObject({ status: 400, body: { text: 'Code missed' } })
  })

  it('alicloud_tv: 202 while waiting, 200 with TV-app tokens once confirmed; 400 without sid', async () => {
    const start = await getJson(`${emu.apiUrl}/alicloud/requests?driver_txt=alicloud_tv&server_use=true`)
    const cookie = start.cookies.map((c) => c.split(';')[0]).join('; ')
    const sid = start.body.sid as string
    expect(await getJson(`${emu.apiUrl}/alicloud/callback?sid=${sid}`, { Cookie: cookie })).toMatchObject({
      status: 202,
      body: { text: '等待扫码' },
    })
    expect(await getJson(`${emu.apiUrl}/alicloud/callback`, { Cookie: cookie })).toMatchObject({ status: 400 })
    await fetch(`${emu.apiUrl}/o/oauth/authorize?sid=${sid}`)
    await getJson(`${emu.apiUrl}/alicloud/callback?sid=${sid}`, { Cookie: cookie }) // ScanSuccess: still 202
    const done = await getJson(`${emu.apiUrl}/alicloud/callback?sid=${sid}`, { Cookie: cookie })
    expect(done.status).toBe(200)
    expect(done.body).toMatchObject({ driver_txt: 'alicloud_tv', server_use: true })
    const claims = JSON.parse(
      Buffer.from((done.body.refresh_token as string).split('.')[1]!, 'base64url').toString(),
    ) as { aud: string }
    expect(claims.aud).toBe(emu.tvClientId)
  })

  it('missing parameters: 500 传入参数缺少, as the relay answers', async () => {
    expect(await getJson(`${emu.apiUrl}/alicloud/requests?driver_txt=alicloud_qr`)).toMatchObject({
      status: 500,
      body: { text: '传入参数缺少' },
    })
  })
})
