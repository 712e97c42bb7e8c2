/**
 * Which login route to take, from the flags and what the config file already says: your own app when a client id
 * and secret are given (flags, or the config with `use_online_api: false`), else the online API — the TV app with
 * `--tv` or `alipan_type: alipanTV` — at the config's `api_url_address` (OpenList's relay by default).
 */
import { additionOf, mountPathOf, storageRowsOf, type Json } from '../persist/storage-rows.js'
import { DEFAULT_RENEW_API } from '../config/schema.js'
import { normalizePath } from '../paths/mount-path.js'
import { openAppRoute } from './open-app-route.js'
import { relayRoute } from './relay-route.js'
import type { LoginRoute } from './types.js'

export const OFFICIAL_API = 'https://openapi.alipan.com'

export interface LoginFlags {
  tv?: boolean
  clientId?: string
  clientSecret?: string
  apiUrlAddress?: string
  /** The Open API base when it is a stand-in (emulator); undefined = the official one. */
  apiUrl?: string
  mount?: string
}

export class LoginUsageError extends Error {}

/** The addition the login will refresh, if the file already has it (to reuse its renewal settings). */
export function existingAddition(text: string | undefined, mount: string | undefined): Json | undefined {
  if (text === undefined) return undefined
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    return undefined
  }
  const rows = storageRowsOf(doc)
  if (rows) {
    const want = mount === undefined ? undefined : normalizePath(mount)
    const row = rows.find(
      (r, i) =>
        typeof r?.mount_path === 'string' && (want === undefined ? rows.length === 1 : mountPathOf(r, i) === want),
    )
    return row ? additionOf(row, 'storage') : undefined
  }
  if (!doc || typeof doc !== 'object') return undefined
  const single = doc as Json
  return 'addition' in single && !('refresh_token' in single) ? additionOf(single, 'config') : single
}

export function chooseRoute(flags: LoginFlags, existing: Json | undefined): LoginRoute {
  if ((flags.clientId === undefined) !== (flags.clientSecret === undefined)) {
    throw new LoginUsageError(
      '--client-id and --client-secret go together (your Open Platform app); omit both to log in through the online API',
    )
  }
  const ownApp =
    flags.clientId !== undefined
      ? { clientId: flags.clientId, clientSecret: flags.clientSecret! }
      : !flags.tv &&
          (existing?.use_online_api === false || existing?.use_online_api === 'false') &&
          str(existing.client_id) &&
          str(existing.client_secret)
        ? { clientId: str(existing.client_id)!, clientSecret: str(existing.client_secret)! }
        : undefined
  if (ownApp) {
    if (flags.tv)
      throw new LoginUsageError(
        '--tv logs in as the TV app through the online API; it does not go with --client-id/--client-secret',
      )
    return openAppRoute({ apiBaseUrl: flags.apiUrl ?? OFFICIAL_API, ...ownApp, standIn: flags.apiUrl !== undefined })
  }
  const apiUrlAddress = flags.apiUrlAddress ?? str(existing?.api_url_address) ?? DEFAULT_RENEW_API
  try {
    new URL(apiUrlAddress)
  } catch {
    throw new LoginUsageError(`the online API address "${apiUrlAddress}" is not a URL`)
  }
  const tv = Boolean(flags.tv) || existing?.alipan_type === 'alipanTV'
  return relayRoute({ apiUrlAddress, tv, ...(flags.apiUrl ? { standInApiUrl: flags.apiUrl } : {}) })
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined
}
