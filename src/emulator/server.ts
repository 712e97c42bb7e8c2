/**
 * The request dispatcher: data plane first (signed URLs, no bearer token), then the token endpoints and the
 * relay, then `/adrive/v1.0/...` routes behind fault injection → authentication → rate limit → handler.
 * Success is HTTP 200 JSON; every error is >= 400 with `{code, message, requestId}` (docs/api-notes.md §1.3).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { ApiError } from './api-error.js'
import { handleDownload } from './data-plane/download-get.js'
import { handlePreview } from './data-plane/preview-hls.js'
import { handlePartPut } from './data-plane/upload-put.js'
import { DOWNLOAD_PREFIX, PREVIEW_PREFIX, UPLOAD_PREFIX } from './data-plane/urls.js'
import { parseBody, readSmallBody, sendApiError, sendJson } from './http-io.js'
import { enforceRateLimit, tooManyRequests } from './rate-check.js'
import { API_ROUTES } from './routes/index.js'
import { handleAccessToken, handleAuthorize, type AppCredentials } from './routes/oauth.js'
import {
  AUTHORIZE_PAGE_PATH,
  handleAuthorizePage,
  handleQrCreate,
  handleQrPaths,
  QR_CREATE_PATH,
} from './routes/qr-login.js'
import {
  handleRelayCallback,
  handleRelayRequests,
  RELAY_CALLBACK_PATH,
  RELAY_REQUESTS_PATH,
} from './routes/relay-login.js'
import { handleRenew } from './routes/renew.js'
import type { AuthCodes } from './state/auth-codes.js'
import type { EmulatorState } from './state/emulator-state.js'
import type { QrSessions } from './state/qr-sessions.js'
import type { RateClass } from './state/rate-limiter.js'

export const TOKEN_PATH = '/oauth/access_token'
export const RENEW_PATH = '/alicloud/renewapi'
const AUTHORIZE_PATH = '/oauth/authorize'

export interface ServerDeps {
  state: EmulatorState
  codes: AuthCodes
  qr: QrSessions
  openApp: AppCredentials
  tvApp: AppCredentials
  defaultUserId: () => string
}

function count(record: Record<string | number, number>, key: string | number): void {
  record[key] = (record[key] ?? 0) + 1
}

/**
 * Decides an injected fault; returns true when the request was answered (or dropped) by it. The relay answers an
 * upstream failure as 500 {text}: the upstream message for the QR app, the fixed "刷新Token失败" for the TV app
 * (OpenList-APIPages `pubRenew` and `alicloud_tv.ts` `refreshToken`).
 */
async function injectFault(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ServerDeps,
  cls: RateClass,
  relay: false | 'qr' | 'tv',
): Promise<boolean> {
  const { state } = deps
  if (state.faults.latencyMs > 0) await sleep(state.faults.latencyMs)
  const fault = state.faults.nextApiFault()
  if (!fault) return false
  if (fault.kind === 'drop') {
    // Dropped before the call is applied: the client cannot know, but the state never half-changes.
    req.resume()
    count(state.stats.statuses, 0)
    req.socket.destroy()
    return true
  }
  if (fault.kind === 'rateLimit') {
    state.stats.rateLimited++
    const err = tooManyRequests(state.limiter.retryHintMs(cls))
    if (relay) sendJson(res, 500, { text: relay === 'tv' ? TV_RELAY_FAILURE : err.message })
    else sendApiError(res, err)
    return true
  }
  const err =
    fault.status === 500
      ? new ApiError(500, 'InternalError', 'Internal server error, please try again later.')
      : new ApiError(503, 'ServiceUnavailable', 'Service is temporarily unavailable, please try again later.')
  if (relay) sendJson(res, 500, { text: relay === 'tv' ? TV_RELAY_FAILURE : err.message })
  else sendApiError(res, err)
  return true
}

const TV_RELAY_FAILURE = '刷新Token失败'

/** QR-code login: the Open API's device flow, its pages (the phone's side) and the relay's login routes. */
async function routeQrLogin(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  method: string,
  deps: ServerDeps,
): Promise<boolean> {
  const { state } = deps
  const path = url.pathname
  if (path === QR_CREATE_PATH && method === 'POST') {
    count(state.stats.calls, path)
    if (await injectFault(req, res, deps, 'other', false)) return true
    await handleQrCreate(req, res, state, deps.qr, [deps.openApp, deps.tvApp])
    return true
  }
  if (method !== 'GET') return false
  if (path === AUTHORIZE_PAGE_PATH) {
    count(state.stats.calls, path)
    handleAuthorizePage(res, url, deps.qr, deps.defaultUserId())
    return true
  }
  if (path === RELAY_REQUESTS_PATH || path === RELAY_CALLBACK_PATH) {
    count(state.stats.calls, path)
    if (await injectFault(req, res, deps, 'other', url.searchParams.get('driver_txt') === 'alicloud_tv' ? 'tv' : 'qr'))
      return true
    if (path === RELAY_REQUESTS_PATH) handleRelayRequests(res, url, deps)
    else handleRelayCallback(req, res, url, deps)
    return true
  }
  if (handleQrPaths(res, path, deps.qr, deps.defaultUserId())) {
    count(state.stats.calls, path.endsWith('/status') ? '/oauth/qrcode/{sid}/status' : '/oauth/qrcode/{sid}')
    return true
  }
  return false
}

export function createRequestHandler(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { state } = deps
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid')
    const path = url.pathname
    const method = req.method ?? 'GET'
    if (path.startsWith(UPLOAD_PREFIX) && method === 'PUT') {
      count(state.stats.calls, 'data:upload')
      return handlePartPut(req, res, url, state)
    }
    if (path.startsWith(DOWNLOAD_PREFIX) && (method === 'GET' || method === 'HEAD')) {
      count(state.stats.calls, 'data:download')
      return handleDownload(req, res, url, state)
    }
    if (path.startsWith(PREVIEW_PREFIX) && (method === 'GET' || method === 'HEAD')) {
      count(state.stats.calls, 'data:preview')
      return handlePreview(req, res, url, state)
    }
    if (path === AUTHORIZE_PATH && method === 'GET') {
      count(state.stats.calls, path)
      return handleAuthorize(res, url, state, deps.codes, deps.defaultUserId())
    }
    if (path === RENEW_PATH && method === 'GET') {
      count(state.stats.calls, path)
      if (
        await injectFault(req, res, deps, 'other', url.searchParams.get('driver_txt') === 'alicloud_tv' ? 'tv' : 'qr')
      )
        return
      return handleRenew(res, url, state, deps.codes, deps.openApp, deps.tvApp)
    }
    if (await routeQrLogin(req, res, url, method, deps)) return
    if (path === TOKEN_PATH && method === 'POST') {
      count(state.stats.calls, path)
      if (await injectFault(req, res, deps, 'other', false)) return
      return handleAccessToken(req, res, url, state, deps.codes, [deps.openApp])
    }
    const api = method === 'POST' ? API_ROUTES.get(path) : undefined
    if (!api) {
      count(state.stats.calls, 'unknown')
      req.resume()
      throw new ApiError(404, 'NotFound', `No route for ${method} ${path}`)
    }
    count(state.stats.calls, path)
    const text = await readSmallBody(req)
    if (state.faults.holds(path)) return new Promise((resolve) => res.once('close', resolve))
    if (await injectFault(req, res, deps, api.cls, false)) return
    const auth = state.tokens.authenticate(req.headers.authorization)
    enforceRateLimit(state, auth.userId, auth.clientId, api.cls)
    const body = parseBody(text, req.headers['content-type'])
    const result = await api.handle({ state, auth, body })
    if (state.faults.nextAnswerLost(path)) {
      // Applied, but the client never hears: the case where repeating a call meets its own effect.
      count(state.stats.statuses, 0)
      req.socket.destroy()
      return
    }
    sendJson(res, 200, result)
  }

  return (req, res) => {
    res.on('finish', () => count(state.stats.statuses, res.statusCode))
    route(req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) return
      sendApiError(
        res,
        err instanceof ApiError ? err : new ApiError(500, 'InternalError', String((err as Error)?.message ?? err)),
      )
    })
  }
}
