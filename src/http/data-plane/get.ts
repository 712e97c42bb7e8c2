/**
 * A GET on the data plane: a file's bytes, whole or a Range, from a download URL, for the proxied downloads of
 * `serve`, the CLI's `get` and copies between storages. Redirects are followed a few hops (with the same headers);
 * the answer is handed over as it came (status, headers, body stream): which statuses are usable is the caller's
 * decision, with the words of src/http/retryable.ts.
 */
import type { IncomingMessage } from 'node:http'
import { DriverError, networkError } from '../../errors/index.js'
import { describeUrl, GET_TIMEOUTS, openRequest, type DataPlaneTimeouts } from './transport.js'

const MAX_REDIRECTS = 3
const REDIRECTS = new Set([301, 302, 303, 307, 308])

export interface DataGetOptions {
  headers?: Record<string, string>
  /** Inclusive byte range; sent as `Range: bytes=start-end` (end omitted: to the end of the file). */
  range?: { start: number; end?: number }
  signal?: AbortSignal | undefined
  timeouts?: Partial<DataPlaneTimeouts>
  /** For messages: `download of "/a/b.bin"`. */
  label: string
}

/**
 * The answer's body is the IncomingMessage itself: it pipes with Node's own backpressure, and `complete` says
 * whether every byte of it arrived (a connection cut short ends the stream without an error).
 */
export type DataResponse = IncomingMessage & { statusCode: number }

/** Rejects with ABORTED when the signal fires, NETWORK when no answer came (refused, reset, timed out, redirect loop). */
export async function dataGet(url: string, opts: DataGetOptions): Promise<DataResponse> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) }
  if (opts.range) headers.Range = `bytes=${opts.range.start}-${opts.range.end ?? ''}`
  const timeouts = { ...GET_TIMEOUTS, ...opts.timeouts }
  let target = new URL(url)
  for (let hop = 0; ; hop++) {
    const res = await answerOf(target, headers, opts, timeouts)
    const location = res.headers.location
    if (!location || !REDIRECTS.has(res.statusCode)) return res
    res.resume()
    if (hop >= MAX_REDIRECTS)
      throw networkError(opts.label, new Error(`more than ${MAX_REDIRECTS} redirects from ${describeUrl(target)}`))
    target = new URL(location, target)
  }
}

function answerOf(
  target: URL,
  headers: Record<string, string>,
  opts: DataGetOptions,
  timeouts: DataPlaneTimeouts,
): Promise<DataResponse> {
  return new Promise((resolve, reject) => {
    const req = openRequest(target, { method: 'GET', headers, signal: opts.signal, timeouts }, (res) =>
      resolve(res as DataResponse),
    )
    req.on('error', (e) => reject(e instanceof DriverError ? e : networkError(opts.label, e)))
    req.end()
  })
}

/** Reads a (small) body whole: the 8 proof bytes of rapid upload, an error page. */
export async function readAll(res: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const chunk of res) parts.push(chunk as Buffer)
  return Buffer.concat(parts)
}
