/**
 * The two ways to exchange a refresh token (docs/api-notes.md §2.1, §2.6), as one HTTP exchange each. Classification matters more
 * than the call: a definitive refusal (bad/used refresh token) is UNAUTHORIZED and must not be retried (a retry storm
 * burns the relay's per-IP quota, docs/peers-and-pains.md #2); a relay or network hiccup is UPSTREAM/NETWORK and may be retried.
 */
import type { AxiosInstance } from 'axios'
import { tokenResponseSchema, type TokenResponse } from './token-response.js'
import type { DriverConfig } from '../config/schema.js'
import { DriverError, abortedError, mapHttpFailure, networkError, parseErrorBody } from '../errors/index.js'
import { parseRetryAfterMs } from '../http/retry-after.js'
import { RelayClient } from '../http/relay-client.js'
import { USER_AGENT } from '../http/user-agent.js'
import { isRelayRefusal } from './relay-refusal.js'

export interface RenewResult {
  accessToken: string
  refreshToken: string
}

const REAUTHORIZE = 'get a new refresh token (re-authorize the app) and update the config'

/** OpenList renews through the relay only when it is on and has a URL; an empty URL means the own-app exchange. */
export function usesRelay(config: DriverConfig): boolean {
  return config.use_online_api && config.api_url_address !== ''
}

/** Online renew API: `GET {api_url_address}?refresh_ui=…&server_use=true&driver_txt=alicloud_qr|alicloud_tv`. */
export interface RelayOptions {
  /** The User-Agent sent to the relay (default: a browser-like one naming this project). */
  userAgent?: string
}

export async function renewOnline(
  http: AxiosInstance,
  config: DriverConfig,
  signal?: AbortSignal,
  options: RelayOptions = {},
): Promise<RenewResult> {
  const driverTxt = config.alipan_type === 'alipanTV' ? 'alicloud_tv' : 'alicloud_qr'
  const url = new URL(config.api_url_address)
  url.searchParams.set('refresh_ui', config.refresh_token)
  url.searchParams.set('server_use', 'true')
  url.searchParams.set('driver_txt', driverTxt)
  const label = `token renewal through the online API (${url.host}, ${driverTxt})`
  // The relay client login uses too (src/http/relay-client.ts): same agent, a Cloudflare challenge said plainly.
  const answer = await new RelayClient(http).get(url.toString(), { signal, userAgent: options.userAgent })
  const response = { status: answer.status, data: answer.text, headers: answer.headers }
  const parsed = parseTokenBody(response.data)
  if (response.status === 200 && parsed) return parsed
  const body = parseErrorBody(response.data)
  const text = body.kind === 'json' ? body.message : undefined
  // The relay answers every failure as HTTP 500 {text}, an upstream 429 or 5xx included: only a text that says the
  // refresh token is dead is a refusal; anything else is retried by the caller and then shown with the relay's words.
  if (text && isRelayRefusal(text)) {
    throw new DriverError('UNAUTHORIZED', `${label} refused the refresh token: "${text}"; ${REAUTHORIZE}`, {
      status: response.status,
    })
  }
  if (response.status === 200) {
    throw new DriverError(
      'UNAUTHORIZED',
      `${label} returned no tokens (a wrong refresh token, or one for another app type: check alipan_type); ${REAUTHORIZE}`,
      { status: 200 },
    )
  }
  if (text && response.status !== 429) {
    throw new DriverError(
      'UPSTREAM',
      `${label} failed: the relay answered HTTP ${response.status} "${text}" ` +
        `(not a refusal of the refresh token; if it persists, check the relay and the refresh token)`,
      {
        status: response.status,
      },
    )
  }
  throw relayFailure(label, response.status, response.data, response.headers)
}

/** Own client: `POST {apiBaseUrl}/oauth/access_token` with the docs/api-notes.md §2.1 JSON body. */
export async function renewLocal(
  http: AxiosInstance,
  baseUrl: string,
  config: DriverConfig,
  signal?: AbortSignal,
): Promise<RenewResult> {
  const label = 'token renewal with your client ID and secret'
  const body = JSON.stringify({
    client_id: config.client_id,
    client_secret: config.client_secret,
    grant_type: 'refresh_token',
    refresh_token: config.refresh_token,
  })
  const response = await send(label, signal, () =>
    http.post(`${baseUrl.replace(/\/$/, '')}/oauth/access_token`, body, {
      headers: { 'Content-Type': 'application/json', 'User-Agent': USER_AGENT },
      ...(signal ? { signal } : {}),
    }),
  )
  const parsed = parseTokenBody(response.data)
  if (response.status === 200 && parsed) return parsed
  if (response.status >= 400 && response.status < 500 && response.status !== 429) {
    const error = mapHttpFailure({ status: response.status, body: response.data, operation: label })
    throw new DriverError('UNAUTHORIZED', `${error.message}; ${REAUTHORIZE}`, {
      status: response.status,
      ...(error.apiCode ? { apiCode: error.apiCode } : {}),
      ...(error.requestId ? { requestId: error.requestId } : {}),
    })
  }
  if (response.status === 200)
    throw new DriverError('UPSTREAM', `${label}: the answer had no access_token/refresh_token`, { status: 200 })
  throw relayFailure(label, response.status, response.data, response.headers as Record<string, unknown>)
}

async function send(
  label: string,
  signal: AbortSignal | undefined,
  request: () => Promise<{ status: number; data: unknown; headers: unknown }>,
) {
  try {
    return await request()
  } catch (e) {
    if (signal?.aborted) throw abortedError(signal)
    throw networkError(label, e)
  }
}

function parseTokenBody(data: unknown): RenewResult | undefined {
  let json = data
  if (typeof data === 'string') {
    try {
      json = JSON.parse(data)
    } catch {
      return undefined
    }
  }
  const parsed = tokenResponseSchema.safeParse(json)
  return parsed.success ? toResult(parsed.data) : undefined
}

function toResult(t: TokenResponse): RenewResult {
  return { accessToken: t.access_token, refreshToken: t.refresh_token }
}

/** A transient failure (429, 5xx, HTML from a challenge page): retryable, with the server's wait when it gave one. */
function relayFailure(label: string, status: number, data: unknown, headers: Record<string, unknown>): DriverError {
  const retryAfterMs = parseRetryAfterMs(headers)
  const error = mapHttpFailure({
    status,
    body: data,
    operation: label,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  })
  return new DriverError(status === 429 ? 'RATE_LIMITED' : 'UPSTREAM', error.message, {
    status,
    ...(error.apiCode ? { apiCode: error.apiCode } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  })
}
