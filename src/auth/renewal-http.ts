/**
 * The HTTP client token renewals are sent with (the relay's GET, the own-app POST to /oauth/access_token). Every
 * answer is read as text and judged by src/auth/renew.ts itself (a relay refusal is an HTTP 500 with a JSON `text`,
 * docs/api-notes.md §2.6), so no status throws; a relay behind a redirect is followed a few hops.
 */
import axios, { type AxiosInstance } from 'axios'

/** Long enough for a slow relay; the API itself answers in well under a second. */
const RENEWAL_TIMEOUT_MS = 30_000

export function renewalHttp(): AxiosInstance {
  return axios.create({
    timeout: RENEWAL_TIMEOUT_MS,
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(d: unknown) => d],
    maxRedirects: 3,
  })
}
