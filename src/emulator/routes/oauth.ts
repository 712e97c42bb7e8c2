/**
 * `POST /oauth/access_token` (docs/api-notes.md §2.1) with grants `refresh_token` and `authorization_code`, JSON or
 * form-urlencoded (the relay sends form fields and repeats them in the query string), and `GET /oauth/authorize`
 * (redirect flow, consent given automatically for the default user).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ApiError } from '../api-error.js'
import { optString, parseBody, readSmallBody, sendJson } from '../http-io.js'
import { enforceRateLimit } from '../rate-check.js'
import type { AuthCodes } from '../state/auth-codes.js'
import type { EmulatorState } from '../state/emulator-state.js'
import type { TokenPair } from '../state/token-store.js'

export interface AppCredentials {
  clientId: string
  clientSecret: string
}

function checkClient(apps: AppCredentials[], clientId: string | undefined, secret: string | undefined): void {
  const app = apps.find((a) => a.clientId === clientId)
  if (!app) throw new ApiError(400, 'InvalidClientId', 'client_id is invalid.')
  if (app.clientSecret !== secret) throw new ApiError(400, 'InvalidClientSecret', 'client_secret is invalid.')
}

/** The exchange itself, shared by the OAuth endpoint and the renew relay. The call counts in the "other" class. */
export function exchangeToken(
  state: EmulatorState,
  codes: AuthCodes,
  apps: AppCredentials[],
  params: Record<string, unknown>,
): TokenPair {
  const clientId = optString(params, 'client_id')
  checkClient(apps, clientId, optString(params, 'client_secret'))
  const grant = optString(params, 'grant_type')
  if (grant === 'refresh_token') {
    const token = optString(params, 'refresh_token') ?? ''
    const owner = state.tokens.peekRefresh(token)
    if (owner) enforceRateLimit(state, owner.userId, owner.clientId, 'other')
    const pair = state.tokens.exchange(token, clientId ?? '')
    state.stats.refreshes++
    return pair
  }
  if (grant === 'authorization_code') {
    const code = optString(params, 'code') ?? ''
    const owner = codes.peek(code)
    if (owner) enforceRateLimit(state, owner.userId, owner.clientId, 'other')
    const userId = codes.redeem(code, clientId ?? '')
    if (!userId) throw new ApiError(400, 'InvalidCode', 'The authorization code is invalid or expired.')
    return {
      token_type: 'Bearer',
      access_token: state.tokens.issueAccess(userId, clientId ?? ''),
      refresh_token: state.tokens.issueRefresh(userId, clientId ?? ''),
      expires_in: state.opts.accessTokenTtlSec,
    }
  }
  throw new ApiError(400, 'InvalidGrantType', 'grant_type is invalid.')
}

export async function handleAccessToken(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  state: EmulatorState,
  codes: AuthCodes,
  apps: AppCredentials[],
): Promise<void> {
  const body = parseBody(await readSmallBody(req), req.headers['content-type'])
  const params = { ...Object.fromEntries(url.searchParams), ...body }
  sendJson(res, 200, exchangeToken(state, codes, apps, params))
}

/** `GET /oauth/authorize?client_id&redirect_uri&state…` → 302 to `redirect_uri?code=…&state=…`. */
export function handleAuthorize(
  res: ServerResponse,
  url: URL,
  state: EmulatorState,
  codes: AuthCodes,
  userId: string,
): void {
  const clientId = url.searchParams.get('client_id') ?? ''
  const redirect = url.searchParams.get('redirect_uri') ?? ''
  if (clientId !== state.opts.clientId) throw new ApiError(400, 'InvalidClientId', 'client_id is invalid.')
  let target: URL
  try {
    target = new URL(redirect)
  } catch {
    throw new ApiError(400, 'InvalidParameter.RedirectUri', 'redirect_uri is invalid.')
  }
  target.searchParams.set('code', codes.issue(userId, clientId))
  const st = url.searchParams.get('state')
  if (st !== null) target.searchParams.set('state', st)
  res.writeHead(302, { location: target.toString() })
  res.end()
}
