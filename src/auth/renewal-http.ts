/**
 * The HTTP client token renewals are sent with (the relay's GET, the own-app POST to /oauth/access_token). Every
 * answer is read as text and judged by src/auth/renew.ts itself (a relay refusal is an HTTP 500 with a JSON `text`,
 * docs/api-notes.md §2.6), so no status throws; a relay behind a redirect is followed a few hops.
 */
import type { AxiosInstance } from 'axios'
import { relayHttp } from '../http/relay-client.js'

/** The relay client's transport (src/http/relay-client.ts), so login and renewal reach the relay alike. */
export function renewalHttp(): AxiosInstance {
  return relayHttp()
}
