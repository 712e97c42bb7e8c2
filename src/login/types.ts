/** The pieces of a QR-code login, whatever the route (online relay, TV app through the relay, own Open Platform app). */

/** One QR code: the session id, the image address the server gave, and the page the phone must open. */
export interface QrCode {
  sid: string
  /** The server's `qrCodeUrl` (relay: `text`): the address of a QR image, not what the phone scans. */
  qrCodeUrl: string
  /** What the printed QR code encodes: the authorize page for `sid`. */
  scanUrl: string
}

export interface LoginTokens {
  refreshToken: string
  accessToken: string
}

export type PollResult = { state: 'waiting' | 'scanned' | 'expired' } | { state: 'confirmed'; tokens: LoginTokens }

/** The renewal settings a login route implies, written into the config next to the tokens. */
export interface RenewalSettings {
  use_online_api: boolean
  alipan_type?: 'default' | 'alipanTV'
  api_url_address?: string
  client_id?: string
  client_secret?: string
}

export interface LoginRoute {
  /** For messages: "the online API at api.oplist.org", "your app 1234…". */
  label: string
  renewal: RenewalSettings
  start(signal: AbortSignal): Promise<QrCode>
  poll(code: QrCode, signal: AbortSignal): Promise<PollResult>
}

/** A refusal that will not go away by asking again (bad app credentials, a rejected code): stop at once. */
export class LoginRefused extends Error {}

/** A server answer that may be momentary (5xx, network): a few in a row are tolerated while polling. */
export class LoginTransient extends Error {}
