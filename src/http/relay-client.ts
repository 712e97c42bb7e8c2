/**
 * The control plane's client for everything but the Open API itself: OpenList's online API (the "relay": QR login
 * and token renewal) and the few calls of a login with your own app (src/login/http.ts). Login and renewal both send
 * the browser-like User-Agent its CDN lets through (docs/peers-and-pains.md #2; OpenList switched to one after
 * time-outs), and both recognise the page Cloudflare answers instead when it challenges a client: an HTML page with
 * HTTP 403 or 503, `cf-mitigated: challenge` or the challenge script. No program can pass it; it is reported as such
 * (RelayChallenge), not as a relay error or an unreadable answer, and it says nothing about the token sent.
 */
import axios, { type AxiosInstance } from 'axios'
import { DriverError, abortedError, networkError } from '../errors/index.js'
import { RELAY_USER_AGENT } from './user-agent.js'

/** Long enough for a slow relay. */
const RELAY_TIMEOUT_MS = 30_000

export interface RelayAnswer {
  status: number
  /** The body as text; callers parse it. */
  text: string
  /** Lower-case header names; a repeated header's values joined by ", " (Set-Cookie is in `setCookies`). */
  headers: Record<string, string>
  setCookies: string[]
}

export interface RelayRequest {
  signal?: AbortSignal | undefined
  headers?: Record<string, string>
  /** Overrides the browser-like agent (the host option `relayUserAgent`). */
  userAgent?: string | undefined
}

/** Cloudflare answered with its challenge page. The request never reached the relay. */
export class RelayChallenge extends DriverError {
  constructor(
    readonly host: string,
    status: number,
  ) {
    super(
      'UPSTREAM',
      `${host} answered with a Cloudflare challenge page (HTTP ${status}) instead of the online API: its CDN is ` +
        `blocking requests from this machine for now, which no program can get past. Nothing was refused: a saved ` +
        `refresh token stays valid. Try again later, from another network, or set api_url_address to another relay`,
      { status },
    )
  }
}

export function isCloudflareChallenge(answer: Pick<RelayAnswer, 'status' | 'text' | 'headers'>): boolean {
  if (answer.status !== 403 && answer.status !== 503) return false
  if (answer.headers['cf-mitigated'] === 'challenge') return true
  const html = (answer.headers['content-type'] ?? '').includes('text/html') || /^\s*<(!doctype|html)/i.test(answer.text)
  return (
    html && /challenge-platform|cf-chl|cf_chl|Just a moment\.\.\.|Attention Required! \| Cloudflare/i.test(answer.text)
  )
}

export class RelayClient {
  constructor(private readonly http: AxiosInstance = relayHttp()) {}

  /** GET `url`; throws RelayChallenge for a challenge page, a NETWORK error when the relay cannot be reached. */
  get(url: string, req: RelayRequest = {}): Promise<RelayAnswer> {
    return this.request('GET', url, req)
  }

  /**
   * Any control-plane request that is not the Open API's (those go through src/http/api-client.ts): the relay, and
   * the calls of a login with your own app. Same agent rules, same challenge check, same error mapping.
   */
  async request(method: 'GET' | 'POST', url: string, req: RelayRequest & { body?: string } = {}): Promise<RelayAnswer> {
    const host = new URL(url).host
    let res
    try {
      res = await this.http.request({
        method,
        url,
        headers: { ...req.headers, 'User-Agent': req.userAgent ?? RELAY_USER_AGENT },
        ...(req.body !== undefined ? { data: req.body } : {}),
        ...(req.signal ? { signal: req.signal } : {}),
      })
    } catch (e) {
      if (req.signal?.aborted) throw abortedError(req.signal)
      throw networkError(`the online API at ${host}`, e)
    }
    const headers: Record<string, string> = {}
    let setCookies: string[] = []
    for (const [name, value] of Object.entries(res.headers as Record<string, unknown>)) {
      const values = (Array.isArray(value) ? value : [value])
        .filter((v) => v !== undefined && v !== null)
        .map((v) => `${v as string}`)
      if (name.toLowerCase() === 'set-cookie') setCookies = values
      else if (values.length > 0) headers[name.toLowerCase()] = values.join(', ')
    }
    const answer = {
      status: res.status,
      text: typeof res.data === 'string' ? res.data : String(res.data ?? ''),
      headers,
      setCookies,
    }
    if (isCloudflareChallenge(answer)) throw new RelayChallenge(host, answer.status)
    return answer
  }
}

/** Every answer is read as text and judged by the caller; a relay behind a redirect is followed a few hops. */
export function relayHttp(): AxiosInstance {
  return axios.create({
    timeout: RELAY_TIMEOUT_MS,
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(d: unknown) => d],
    maxRedirects: 3,
  })
}
