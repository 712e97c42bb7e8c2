/**
 * The Open API's QR-code login (device flow): `POST /oauth/authorize/qrcode` → `{qrCodeUrl, sid}`,
 * `GET /oauth/qrcode/{sid}/status` → `{status, authCode?}`. The real `qrCodeUrl` is the address of a QR image and the
 * phone scans the authorize page `…/o/oauth/authorize?sid=<sid>`; here a GET of either page is the phone scanning and
 * confirming for the default user.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ApiError } from '../api-error.js'
import { parseBody, readSmallBody, sendJson } from '../http-io.js'
import type { EmulatorState } from '../state/emulator-state.js'
import type { QrSessions } from '../state/qr-sessions.js'
import type { AppCredentials } from './oauth.js'

export const QR_CREATE_PATH = '/oauth/authorize/qrcode'
export const AUTHORIZE_PAGE_PATH = '/o/oauth/authorize'
const QR_PREFIX = '/oauth/qrcode/'

export function qrCodeUrlFor(state: EmulatorState, sid: string): string {
  return `${state.baseUrl}${QR_PREFIX}${sid}`
}

export async function handleQrCreate(
  req: IncomingMessage,
  res: ServerResponse,
  state: EmulatorState,
  qr: QrSessions,
  apps: AppCredentials[],
): Promise<void> {
  const body = parseBody(await readSmallBody(req), req.headers['content-type'])
  const app = apps.find((a) => a.clientId === body.client_id)
  if (!app) throw new ApiError(400, 'InvalidClientId', 'client_id is invalid.')
  if (app.clientSecret !== body.client_secret)
    throw new ApiError(400, 'InvalidClientSecret', 'client_secret is invalid.')
  if (!Array.isArray(body.scopes) || body.scopes.length === 0)
    throw new ApiError(400, 'InvalidParameter.Scopes', 'scopes is invalid.')
  const sid = qr.create(app.clientId)
  sendJson(res, 200, { qrCodeUrl: qrCodeUrlFor(state, sid), sid })
}

/** Answers `/oauth/qrcode/{sid}/status` and the `/oauth/qrcode/{sid}` page; false when the path is neither. */
export function handleQrPaths(res: ServerResponse, path: string, qr: QrSessions, userId: string): boolean {
  if (!path.startsWith(QR_PREFIX)) return false
  const rest = path.slice(QR_PREFIX.length).split('/')
  if (rest.length === 2 && rest[1] === 'status' && rest[0]) {
    sendJson(res, 200, qr.status(rest[0]))
    return true
  }
  if (rest.length === 1 && rest[0]) {
    sendConfirmPage(res, qr.confirm(rest[0], userId))
    return true
  }
  return false
}

/** `GET /o/oauth/authorize?sid=…`: the page the QR code encodes. */
export function handleAuthorizePage(res: ServerResponse, url: URL, qr: QrSessions, userId: string): void {
  sendConfirmPage(res, qr.confirm(url.searchParams.get('sid') ?? '', userId))
}

function sendConfirmPage(res: ServerResponse, ok: boolean): void {
  const text = ok
    ? '<!doctype html><title>Authorized</title><p>Emulator: the login was scanned and confirmed. You can return to the terminal.</p>\n'
    : '<!doctype html><title>Expired</title><p>Emulator: this QR code is unknown or has expired.</p>\n'
  res.writeHead(ok ? 200 : 410, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}
