/**
 * Renewal: exchanging a refresh token for new tokens, in the two ways there are (docs/api-notes.md §2.1, §2.6), as one
 * HTTP exchange each, with the client they are sent with, the shape of their answer and which relay wordings are a
 * refusal. Classification matters more than the call: a definitive refusal (bad/used refresh token) is UNAUTHORIZED
 * and must not be retried (a retry storm burns the relay's per-IP quota, docs/peers-and-pains.md #2); a relay or
 * network hiccup is UPSTREAM/NETWORK and may be retried.
 */
import type { AxiosInstance } from 'axios'
import { z } from 'zod'
import type { DriverConfig } from '../config/schema.js'
import { DriverError, abortedError, mapHttpFailure, networkError, parseErrorBody } from '../errors/index.js'
import { parseRetryAfterMs } from '../http/retry-after.js'
import { RelayClient, relayHttp } from '../http/relay-client.js'
import { USER_AGENT } from '../http/user-agent.js'
import { optNumber, optString } from '../util/lenient.js'

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

/** The answer of both renewal exchanges (the relay and `oauth/access_token`): the two tokens, checked non-empty. */
export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: optNumber,
  token_type: optString,
})
export type TokenResponse = z.infer<typeof tokenResponseSchema>

/**
 * The HTTP client token renewals are sent with (the relay's GET, the own-app POST to /oauth/access_token): the relay
 * client's transport (src/http/relay-client.ts), so login and renewal reach the relay alike. Every answer is read as
 * text and judged by the exchanges above (a relay refusal is an HTTP 500 with a JSON `text`, docs/api-notes.md §2.6),
 * so no status throws.
 */
export function renewalHttp(): AxiosInstance {
  return relayHttp()
}

/** The relay options a token manager was given, without undefined keys (exactOptionalPropertyTypes). */
export function relayOptions(options: { relayUserAgent?: string | undefined }): RelayOptions {
  return options.relayUserAgent ? { userAgent: options.relayUserAgent } : {}
}

/**
 * Which answers of the online renew relay mean "this refresh token will never work again".
 *
 * The relay (OpenListTeam/OpenList-APIPages, `src/shares/refresh.ts` `pubRenew`, `src/driver/alicloud_oa.ts`
 * `genToken`) answers HTTP 500 `{text}` for EVERY failure: for `alicloud_qr`/`alicloud_go` the text is the `message`
 * of AliyunDrive's `/oauth/access_token` answer, whatever went wrong upstream (a refused token, a 429, a 5xx); an
 * exception on the way becomes `{text: <error>}` (which serialises to `{}` for an Error object). For `alicloud_tv`
 * (`src/driver/alicloud_tv.ts` `refreshToken`) every failure is the fixed text "刷新Token失败" ("refresh failed"),
 * which says nothing about the token. So only a text that names the refresh token as invalid, expired, used or
 * revoked is a refusal; anything else is a hiccup worth retrying, then reported with the relay's own words.
 *
 * Keep every wording here, with where it was seen, so the list can grow from real reports in one place.
 */
export const RELAY_REFUSAL_WORDINGS: ReadonlyArray<{ pattern: RegExp; source: string }> = [
  {
    // AliyunDrive Open `RefreshTokenExpired` (HTTP 401); its message as forwarded by an OAuth proxy:
    // {"code":"RefreshTokenExpired","message":"expired refresh_token"} (messense/aliyundrive-webdav#960).
    pattern: /expired refresh[_ ]?token/i,
    source: 'AliyunDrive Open RefreshTokenExpired message, messense/aliyundrive-webdav#960',
  },
  {
    // `InvalidParameter.RefreshToken`: "The input parameter refresh_token is not valid." (ImYrS/aliyun-auto-signin#22,
    // reruin/sharelist#455); tickstep/aliyunpan-api `apierror/api_error.go` maps this code to "refresh token expired".
    pattern: /refresh[_ ]?token is not valid/i,
    source: 'AliyunDrive InvalidParameter.RefreshToken message, ImYrS/aliyun-auto-signin#22, tickstep/aliyunpan-api',
  },
  {
    // The code names themselves, when a relay or proxy forwards "<code>: <message>" (APIP's callback route does:
    // `${error.code}: ${error.message}`); codes from the official iOS SDK (`AliyunpanError.swift`) and
    // tickstep/aliyunpan-api `aliyunpan_open/api_error.go` (RefreshTokenExpired).
    pattern: /\b(RefreshTokenExpired|RefreshTokenInvalid|InvalidParameter\.RefreshToken)\b/,
    source: 'AliyunDrive token-endpoint codes, official iOS SDK AliyunpanError.swift, tickstep/aliyunpan-api',
  },
  {
    // The general shape of the above, as the open API words its token errors ("Refresh token is expired",
    // "refresh token is invalid or has been used", "… was revoked"); also what this project's emulator says.
    pattern: /refresh[_ ]?token\b.{0,40}\b(invalid|not valid|expired|used|revoked|not issued)\b/i,
    source: "AliyunDrive Open token-endpoint message style; this project's emulator, src/emulator/state/token-store.ts",
  },
  {
    // The user revoked the app's authorization in the Aliyun app (Settings → Privacy → Authorization management):
    // `PermissionDenied` on the token endpoint (official iOS SDK `AliyunpanError.swift`).
    pattern: /\bPermissionDenied\b/,
    source: 'AliyunDrive PermissionDenied (authorization revoked), official iOS SDK AliyunpanError.swift',
  },
]

/** True when the relay's text says the refresh token itself is refused (re-authorizing is the only way out). */
export function isRelayRefusal(text: string): boolean {
  return RELAY_REFUSAL_WORDINGS.some(({ pattern }) => pattern.test(text))
}
