/**
 * The few HTTP calls of a login with your own app, on the control plane's client (src/http/relay-client.ts: axios,
 * its time-out, the caller's abort signal), with our own User-Agent; answers read as JSON when they are JSON.
 */
import { isDriverError } from '../errors/index.js'
import { RelayClient } from '../http/relay-client.js'
import { USER_AGENT } from '../http/user-agent.js'
import { LoginTransient } from './types.js'

export interface JsonAnswer {
  status: number
  body: Record<string, unknown>
  setCookies: string[]
}

export interface JsonRequest {
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  signal: AbortSignal
}

export async function requestJson(label: string, url: string, init: JsonRequest): Promise<JsonAnswer> {
  let answer
  try {
    answer = await new RelayClient().request(init.method ?? 'GET', url, {
      signal: init.signal,
      userAgent: USER_AGENT,
      ...(init.headers ? { headers: init.headers } : {}),
      ...(init.body !== undefined ? { body: init.body } : {}),
    })
  } catch (e) {
    if (init.signal.aborted || !isDriverError(e)) throw e
    // Not reachable, or a CDN's challenge page in its place: both may pass by trying again later.
    throw new LoginTransient(`${label}: cannot reach ${new URL(url).host} (${e.message})`)
  }
  return { ...jsonBody(label, url, answer.status, answer.text), setCookies: answer.setCookies }
}

/** An answer's body read as a JSON object ({} for another JSON value); a body that is not JSON is transient. */
export function jsonBody(label: string, url: string, status: number, text: string): Omit<JsonAnswer, 'setCookies'> {
  let body: Record<string, unknown> = {}
  try {
    const parsed: unknown = JSON.parse(text)
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>
  } catch {
    if (status >= 500) throw new LoginTransient(`${label}: HTTP ${status} from ${new URL(url).host}`)
    throw new LoginTransient(`${label}: HTTP ${status} from ${new URL(url).host}, not JSON: ${text.slice(0, 120)}`)
  }
  return { status, body }
}

/** The `text` of a relay answer (its only error field), or the Open API's `code: message`. */
export function messageOf(body: Record<string, unknown>): string {
  if (typeof body.text === 'string') return body.text
  const message: unknown = body.message ?? ''
  if (typeof body.code === 'string') return `${body.code}: ${String(message)}`
  return JSON.stringify(body).slice(0, 200)
}

export function tokensIn(body: Record<string, unknown>): { refreshToken: string; accessToken: string } | undefined {
  const r = body.refresh_token
  const a = body.access_token
  if (typeof r !== 'string' || typeof a !== 'string' || r === '' || a === '') return undefined
  return { refreshToken: r, accessToken: a }
}
