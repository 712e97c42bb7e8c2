/**
 * The OpenList token relay `GET /alicloud/renewapi` (docs/api-notes.md §2.6): `alicloud_qr`/`alicloud_go` exchange through the
 * OAuth endpoint and answer exactly `{refresh_token, access_token}`; `alicloud_tv` exchanges as the TV app and
 * answers the standard token JSON (docs/api-notes.md §12.12). Every failure is HTTP 500 `{text}`.
 */
import type { ServerResponse } from 'node:http'
import { ApiError } from '../api-error.js'
import { sendJson } from '../http-io.js'
import type { AuthCodes } from '../state/auth-codes.js'
import type { EmulatorState } from '../state/emulator-state.js'
import { exchangeToken, type AppCredentials } from './oauth.js'

export function handleRenew(
  res: ServerResponse,
  url: URL,
  state: EmulatorState,
  codes: AuthCodes,
  openApp: AppCredentials,
  tvApp: AppCredentials,
): void {
  const q = url.searchParams
  const refreshToken = q.get('refresh_ui') ?? ''
  if (!refreshToken) return sendJson(res, 500, { text: '缺少刷新令牌' })
  const serverUse = q.get('server_use') === 'true'
  const driver = q.get('driver_txt') ?? ''
  if (!serverUse && (!driver || !q.get('client_key'))) return sendJson(res, 500, { text: '传入参数缺少' })

  if (driver === 'alicloud_tv') {
    try {
      const pair = exchangeToken(state, codes, [tvApp], {
        client_id: tvApp.clientId,
        client_secret: tvApp.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      })
      return sendJson(res, 200, pair)
    } catch {
      return sendJson(res, 500, { text: '刷新Token失败' })
    }
  }
  if (driver !== '' && driver !== 'alicloud_qr' && driver !== 'alicloud_go') {
    return sendJson(res, 500, { text: '传入参数缺少' })
  }
  const creds = serverUse ? openApp : { clientId: q.get('client_uid') ?? '', clientSecret: q.get('client_key') ?? '' }
  try {
    const pair = exchangeToken(state, codes, [openApp], {
      client_id: creds.clientId,
      client_secret: creds.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    })
    sendJson(res, 200, { refresh_token: pair.refresh_token, access_token: pair.access_token })
  } catch (err) {
    // The relay forwards the upstream `message` as `text` (docs/api-notes.md §2.6).
    sendJson(res, 500, { text: err instanceof ApiError ? err.message : String(err) })
  }
}
