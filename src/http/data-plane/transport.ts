/**
 * What every request of the data plane (download and part-upload URLs: signed OSS addresses, never the API) is sent
 * with: `node:http(s)` on keep-alive agents of our own, our User-Agent, a connect timeout and an idle timeout, the
 * caller's abort signal, and a URL that is never shown with its query (a signed URL's query is its credential:
 * docs/api-notes.md §6.3). The control plane (API, relay, login) is axios: src/http/api-client.ts and
 * src/http/relay-client.ts.
 *
 * Why node:http and not fetch or undici: an IncomingMessage is a Node stream that pipes into a response or a file with
 * Node's own backpressure; fetch hands the body over as a web stream bridged back, which measured at 0.42 of a direct
 * download (bench/RESULTS.md); undici's own `request` made the same number of reads and writes per GiB as node:http
 * in the proxy-wire bench's set-up, with no figure that beat it, so no dependency was added for it.
 */
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { abortedError } from '../../errors/index.js'
import { USER_AGENT } from '../user-agent.js'

/**
 * Our own agents: Node 20's global agent closes a socket after 5 s without traffic, which cut every proxied transfer
 * whose client paused for 5 s (the proxy closes a paused upstream itself and resumes with Range:
 * src/server/resumable-upstream.ts).
 */
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) }

export interface DataPlaneTimeouts {
  /** Until the connection is up (and, for a reused socket, until the request is on it). */
  connectMs: number
  /** No byte moved either way for this long: the request fails with ETIMEDOUT. */
  idleMs: number
}

/**
 * Defaults: a dead host is given up in 15 s; a stalled transfer after 5 minutes without a byte, as fetch's body
 * timeout did for downloads (a copy between storages reads its source one upload part at a time, so a slow upload
 * leaves the download idle for as long as a part takes), and 2 minutes for a part PUT, as before.
 */
export const GET_TIMEOUTS: DataPlaneTimeouts = { connectMs: 15_000, idleMs: 300_000 }
export const PUT_TIMEOUTS: DataPlaneTimeouts = { connectMs: 15_000, idleMs: 120_000 }

/** `https://host/path` without the query: what a message or a log line may say about a signed URL. */
export function describeUrl(url: string | URL): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}${u.pathname}`
  } catch {
    return '(an unparsable URL)'
  }
}

export interface OpenOptions {
  method: 'GET' | 'PUT'
  headers: Record<string, string>
  signal?: AbortSignal | undefined
  timeouts: DataPlaneTimeouts
}

/**
 * Opens a request (the caller writes the body and ends it). Our User-Agent is added unless the caller sent one. An
 * abort destroys the request with an ABORTED DriverError; a connect or idle timeout destroys it with an error whose
 * `code` is ETIMEDOUT (a network failure: src/http/retryable.ts).
 */
export function openRequest(url: URL, opts: OpenOptions, onResponse: (res: IncomingMessage) => void): ClientRequest {
  const https = url.protocol === 'https:'
  const headers = { ...opts.headers }
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'user-agent')) headers['User-Agent'] = USER_AGENT
  const req = (https ? httpsRequest : httpRequest)(
    url,
    { method: opts.method, headers, agent: https ? agents.https : agents.http },
    onResponse,
  )
  const timedOut = (what: string, ms: number) =>
    Object.assign(new Error(`${what} after ${ms} ms (${describeUrl(url)})`), { code: 'ETIMEDOUT' })
  const connectTimer = setTimeout(
    () => req.destroy(timedOut('no connection', opts.timeouts.connectMs)),
    opts.timeouts.connectMs,
  )
  req.once('socket', (socket) => {
    if (!socket.connecting) return clearTimeout(connectTimer)
    socket.once('connect', () => clearTimeout(connectTimer))
  })
  req.once('close', () => clearTimeout(connectTimer))
  req.setTimeout(opts.timeouts.idleMs, () => req.destroy(timedOut('no progress', opts.timeouts.idleMs)))
  const signal = opts.signal
  if (signal) {
    const onAbort = () => req.destroy(abortedError(signal))
    if (signal.aborted) onAbort()
    else {
      signal.addEventListener('abort', onAbort, { once: true })
      req.once('close', () => signal.removeEventListener('abort', onAbort))
    }
  }
  return req
}
