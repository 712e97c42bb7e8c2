/**
 * Login with your own Open Platform app: `POST /oauth/authorize/qrcode {client_id, client_secret, scopes}` →
 * `{qrCodeUrl, sid}`; `GET /oauth/qrcode/{sid}/status` → WaitLogin | ScanSuccess | LoginSuccess (+ authCode) |
 * QRCodeExpired; then the `authorization_code` grant of `POST /oauth/access_token`.
 */
import { messageOf, requestJson, tokensIn } from './http.js'
import { scanUrlFor } from './scan-url.js'
import { LoginRefused, LoginTransient, type LoginRoute, type PollResult } from './types.js'

export const LOGIN_SCOPES = ['user:base', 'file:all:read', 'file:all:write']

export function openAppRoute(opts: {
  apiBaseUrl: string
  clientId: string
  clientSecret: string
  standIn: boolean
}): LoginRoute {
  const base = opts.apiBaseUrl.replace(/\/+$/, '')
  const label = `your app ${opts.clientId.slice(0, 8)}… at ${new URL(base).host}`
  const refusedOrTransient = (what: string, status: number, body: Record<string, unknown>): Error =>
    new (status >= 500 || status === 429 ? LoginTransient : LoginRefused)(
      `${label}: ${what}: HTTP ${status} ${messageOf(body)}`,
    )
  return {
    label,
    renewal: { use_online_api: false, client_id: opts.clientId, client_secret: opts.clientSecret },
    async start(signal) {
      const answer = await requestJson(label, `${base}/oauth/authorize/qrcode`, {
        method: 'POST',
        signal,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ client_id: opts.clientId, client_secret: opts.clientSecret, scopes: LOGIN_SCOPES }),
      })
      const { sid, qrCodeUrl } = answer.body
      if (answer.status !== 200 || typeof sid !== 'string' || !sid || typeof qrCodeUrl !== 'string')
        throw refusedOrTransient('could not start a QR login', answer.status, answer.body)
      return { sid, qrCodeUrl, scanUrl: scanUrlFor(sid, opts.standIn ? base : undefined) }
    },
    async poll(code, signal): Promise<PollResult> {
      const answer = await requestJson(label, `${base}/oauth/qrcode/${encodeURIComponent(code.sid)}/status`, { signal })
      if (answer.status !== 200) throw refusedOrTransient('QR status', answer.status, answer.body)
      const status = answer.body.status
      if (status === 'ScanSuccess') return { state: 'scanned' }
      if (status === 'QRCodeExpired') return { state: 'expired' }
      if (status !== 'LoginSuccess') return { state: 'waiting' }
      const authCode = answer.body.authCode
      if (typeof authCode !== 'string' || !authCode)
        throw new LoginRefused(`${label}: the login succeeded without an authorization code`)
      const grant = await requestJson(label, `${base}/oauth/access_token`, {
        method: 'POST',
        signal,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          client_id: opts.clientId,
          client_secret: opts.clientSecret,
          grant_type: 'authorization_code',
          code: authCode,
        }),
      })
      const tokens = tokensIn(grant.body)
      // A failed exchange is final: authorization codes are single-use.
      if (grant.status !== 200 || !tokens)
        throw new LoginRefused(
          `${label}: exchanging the authorization code failed: HTTP ${grant.status} ${messageOf(grant.body)}`,
        )
      return { state: 'confirmed', tokens }
    },
  }
}
