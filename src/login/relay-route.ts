/**
 * Login through OpenList's online API (OpenListTeam/OpenList-APIPages): `GET /alicloud/requests` starts a QR login and
 * hands back cookies that carry the login's settings; `GET /alicloud/callback` with those cookies reads the QR status
 * once per call. With `driver_txt=alicloud_qr` the relay's own Open Platform app is used (callback `?code=<sid>`: 401
 * `Login failed:<status>` until confirmed, then 200 with the token JSON); with `alicloud_tv` the TV app's backend
 * (callback `?sid=<sid>`: 202 while waiting, 200 with the tokens once confirmed).
 */
import { DEFAULT_RENEW_API } from '../config/schema.js'
import { isDriverError } from '../errors/index.js'
import { RelayChallenge, RelayClient } from '../http/relay-client.js'
import { jsonBody, messageOf, tokensIn, type JsonAnswer } from './http.js'
import { scanUrlFor } from './scan-url.js'
import { LoginRefused, LoginTransient, type LoginRoute, type PollResult, type QrCode } from './types.js'

/** The relay's origin from `api_url_address` (`https://api.oplist.org/alicloud/renewapi` → `https://api.oplist.org`). */
export function relayOrigin(apiUrlAddress: string = DEFAULT_RENEW_API): string {
  const url = new URL(apiUrlAddress)
  const base = url.pathname.replace(/\/alicloud\/renewapi\/?$/, '').replace(/\/+$/, '')
  return `${url.origin}${base}`
}

interface RelaySession extends QrCode {
  cookie: string
}

export function relayRoute(opts: { apiUrlAddress: string; tv: boolean; standInApiUrl?: string }): LoginRoute {
  const origin = relayOrigin(opts.apiUrlAddress)
  const driverTxt = opts.tv ? 'alicloud_tv' : 'alicloud_qr'
  const host = new URL(origin).host
  const label = `the online API at ${host} (${driverTxt})`
  return {
    label,
    renewal: {
      use_online_api: true,
      alipan_type: opts.tv ? 'alipanTV' : 'default',
      api_url_address: opts.apiUrlAddress,
    },
    async start(signal) {
      const answer = await relayJson(label, `${origin}/alicloud/requests?driver_txt=${driverTxt}&server_use=true`, {
        signal,
      })
      const sid = answer.body.sid
      const text = answer.body.text
      if (answer.status !== 200 || typeof sid !== 'string' || !sid || typeof text !== 'string') {
        throw new (answer.status >= 500 ? LoginTransient : LoginRefused)(
          `${label} could not start a QR login: HTTP ${answer.status} ${messageOf(answer.body)}`,
        )
      }
      const cookie = answer.setCookies
        .map((c) => c.split(';')[0]!.trim())
        .filter((c) => c.includes('='))
        .join('; ')
      const session: RelaySession = { sid, qrCodeUrl: text, scanUrl: scanUrlFor(sid, opts.standInApiUrl), cookie }
      return session
    },
    async poll(code, signal) {
      const { cookie, sid } = code as RelaySession
      const query = opts.tv ? `sid=${encodeURIComponent(sid)}` : `code=${encodeURIComponent(sid)}&server_use=true`
      const answer = await relayJson(label, `${origin}/alicloud/callback?${query}`, {
        signal,
        headers: { Cookie: cookie },
      })
      return opts.tv ? tvAnswer(label, answer.status, answer.body) : qrAnswer(label, answer.status, answer.body)
    },
  }
}

/** Through the relay client renewal uses too (src/http/relay-client.ts): the same agent, the same challenge check. */
async function relayJson(
  label: string,
  url: string,
  req: { signal: AbortSignal; headers?: Record<string, string> },
): Promise<JsonAnswer> {
  try {
    const answer = await new RelayClient().get(url, req)
    return { ...jsonBody(label, url, answer.status, answer.text), setCookies: answer.setCookies }
  } catch (e) {
    if (req.signal.aborted) throw e
    // A challenge page does not pass by polling again: stop, and say what it is.
    if (e instanceof RelayChallenge) throw new LoginRefused(`${label}: ${e.message}`)
    if (isDriverError(e) && e.code === 'NETWORK') throw new LoginTransient(`${label}: ${e.message}`)
    throw e
  }
}

function qrAnswer(label: string, status: number, body: Record<string, unknown>): PollResult {
  const text = messageOf(body)
  if (status === 401 && text.startsWith('Login failed:')) {
    const st = text.slice('Login failed:'.length)
    if (st === 'ScanSuccess') return { state: 'scanned' }
    if (st === 'QRCodeExpired') return { state: 'expired' }
    return { state: 'waiting' }
  }
  return tokenAnswer(label, status, body)
}

function tvAnswer(label: string, status: number, body: Record<string, unknown>): PollResult {
  // The TV relay answers 202 for waiting, scanned and expired alike; the caller's own deadline catches expiry.
  if (status === 202) return { state: 'waiting' }
  return tokenAnswer(label, status, body)
}

function tokenAnswer(label: string, status: number, body: Record<string, unknown>): PollResult {
  if (status === 200) {
    const tokens = tokensIn(body)
    // The TV relay answers 200 even when its token exchange failed, with the token fields missing.
    if (!tokens) throw new LoginRefused(`${label} confirmed the login but returned no tokens; try again`)
    return { state: 'confirmed', tokens }
  }
  if (status >= 500 || status === 429) throw new LoginTransient(`${label} answered HTTP ${status}: ${messageOf(body)}`)
  throw new LoginRefused(`${label} refused the login: HTTP ${status} ${messageOf(body)}`)
}
