/**
 * The login routes of OpenList's online API (OpenListTeam/OpenList-APIPages `alicloud_oa.ts` alyLogin/alyToken,
 * `alicloud_tv.ts` getQRCode/checkStatus, `shares/configs.ts`, `shares/cookies.ts`), answered as that relay does:
 * `GET /alicloud/requests` starts a QR login and hands the caller its settings back as cookies; `GET /alicloud/callback`
 * reads those cookies, looks at the QR status once, and answers the tokens once confirmed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ApiError } from '../api-error.js'
import { sendJson } from '../http-io.js'
import type { AuthCodes } from '../state/auth-codes.js'
import type { EmulatorState } from '../state/emulator-state.js'
import type { QrSessions } from '../state/qr-sessions.js'
import { exchangeToken, type AppCredentials } from './oauth.js'
import { qrCodeUrlFor } from './qr-login.js'

export const RELAY_REQUESTS_PATH = '/alicloud/requests'
export const RELAY_CALLBACK_PATH = '/alicloud/callback'

export interface RelayLoginDeps {
  state: EmulatorState
  codes: AuthCodes
  qr: QrSessions
  openApp: AppCredentials
  tvApp: AppCredentials
}

export function handleRelayRequests(res: ServerResponse, url: URL, d: RelayLoginDeps): void {
  const q = url.searchParams
  const serverUse = q.get('server_use') === 'true'
  const driver = q.get('driver_txt') ?? ''
  if (!serverUse && (!driver || !q.get('client_key'))) return sendJson(res, 500, { text: '传入参数缺少' })
  // Hono's setCookie: `name=value; Path=/`; the caller's own app id/secret only when it is not the relay's app.
  const cookies = [`driver_txt=${encodeURIComponent(driver)}; Path=/`, `server_use=${serverUse ? 'true' : ''}; Path=/`]
  if (!serverUse)
    cookies.push(
      `client_uid=${encodeURIComponent(q.get('client_uid') ?? '')}; Path=/`,
      `client_key=${encodeURIComponent(q.get('client_key') ?? '')}; Path=/`,
    )
  res.setHeader('set-cookie', cookies)
  if (driver === 'alicloud_tv') {
    const sid = d.qr.create(d.tvApp.clientId)
    return sendJson(res, 200, { text: qrCodeUrlFor(d.state, sid), sid })
  }
  if (driver !== 'alicloud_qr') return sendJson(res, 500, { text: `driver_txt "${driver}" is not emulated` })
  const clientId = serverUse ? d.openApp.clientId : (q.get('client_uid') ?? '')
  if (clientId !== d.openApp.clientId) return sendJson(res, 500, { text: 'client_id is invalid.' })
  const sid = d.qr.create(clientId)
  sendJson(res, 200, { text: qrCodeUrlFor(d.state, sid), sid })
}

export function handleRelayCallback(req: IncomingMessage, res: ServerResponse, url: URL, d: RelayLoginDeps): void {
  const cookies = parseCookieHeader(req.headers.cookie)
  const q = url.searchParams
  if (cookies.driver_txt === 'alicloud_tv') return tvCheckStatus(res, q, d, cookies)
  const serverUse = cookies.server_use === 'true' || q.get('server_use') === 'true'
  if (!cookies.driver_txt) return sendJson(res, 401, { text: 'No Cookies' })
  const grant = q.get('grant_type') || 'authorization_code'
  if (grant !== 'authorization_code' && grant !== 'refresh_token')
    return sendJson(res, 400, { text: 'Incorrect GrantType' })
  if (grant === 'refresh_token' && (q.get('refresh_token') ?? '').split('.').length !== 3)
    return sendJson(res, 400, { text: 'Incorrect refresh_token or missed' })
  let code = q.get('code') ?? ''
  if (grant === 'authorization_code' && !code) return sendJson(res, 400, { text: 'Code missed' })
  if (grant === 'authorization_code' && cookies.driver_txt === 'alicloud_qr') {
    const st = d.qr.status(code)
    if (st.status !== 'LoginSuccess') return sendJson(res, 401, { text: `Login failed:${st.status}` })
    code = st.authCode ?? ''
  }
  // The relay clears its settings cookies once it gets this far.
  res.setHeader('set-cookie', ['driver_txt=; Max-Age=0; Path=/', 'server_use=; Max-Age=0; Path=/'])
  const creds = serverUse
    ? d.openApp
    : {
        clientId: q.get('client_id') || cookies.client_uid || '',
        clientSecret: q.get('client_secret') || cookies.client_key || '',
      }
  try {
    const pair = exchangeToken(d.state, d.codes, [d.openApp], {
      client_id: creds.clientId,
      client_secret: creds.clientSecret,
      grant_type: grant,
      code,
      refresh_token: q.get('refresh_token') ?? '',
    })
    sendJson(res, 200, pair)
  } catch (e) {
    const err = e instanceof ApiError ? e : new ApiError(500, 'InternalError', String(e))
    sendJson(res, 403, { text: `${err.code}: ${err.message}` })
  }
}

function tvCheckStatus(
  res: ServerResponse,
  q: URLSearchParams,
  d: RelayLoginDeps,
  cookies: Record<string, string>,
): void {
  const sid = q.get('sid')
  if (!sid) return sendJson(res, 400, { text: '缺少sid参数' })
  const st = d.qr.status(sid)
  // The TV relay cannot tell waiting, scanned and expired apart: all are 202 (alicloud_tv.ts checkStatus).
  if (st.status !== 'LoginSuccess' || !st.authCode) return sendJson(res, 202, { text: '等待扫码' })
  try {
    const pair = exchangeToken(d.state, d.codes, [d.tvApp], {
      client_id: d.tvApp.clientId,
      client_secret: d.tvApp.clientSecret,
      grant_type: 'authorization_code',
      code: st.authCode,
    })
    const server = cookies.server_use === 'true'
    // JSON.stringify drops the undefined client_uid/client_key, as the relay's c.json does for absent cookies.
    sendJson(res, 200, {
      access_token: pair.access_token,
      refresh_token: pair.refresh_token,
      client_uid: server ? undefined : cookies.client_uid,
      client_key: server ? undefined : cookies.client_key,
      driver_txt: cookies.driver_txt,
      server_use: server,
    })
  } catch {
    sendJson(res, 500, { text: '检查状态失败' })
  }
}

function parseCookieHeader(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim())
  }
  return out
}
