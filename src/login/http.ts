/** The few HTTP calls of a login: fetch with the caller's abort signal, answers read as JSON when they are JSON. */
import { USER_AGENT } from '../http/user-agent.js'
import { LoginTransient } from './types.js'

export interface JsonAnswer {
  status: number
  body: Record<string, unknown>
  setCookies: string[]
}

export async function requestJson(
  label: string,
  url: string,
  init: RequestInit & { signal: AbortSignal },
): Promise<JsonAnswer> {
  let res: Response
  try {
    res = await fetch(url, {
      ...init,
      headers: { 'User-Agent': USER_AGENT, ...(init.headers as Record<string, string> | undefined) },
    })
  } catch (e) {
    if (init.signal.aborted) throw e
    throw new LoginTransient(
      `${label}: cannot reach ${new URL(url).host} ` +
        `(${(e as Error).cause ? String(((e as Error).cause as Error).message ?? (e as Error).cause) : (e as Error).message})`,
    )
  }
  return { ...jsonBody(label, url, res.status, await res.text()), setCookies: res.headers.getSetCookie() }
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
