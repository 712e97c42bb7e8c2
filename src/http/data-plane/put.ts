/**
 * One part PUT to a pre-signed OSS URL (docs/api-notes.md §6.3), on the data plane's transport (transport.ts): the
 * signature covers an empty Content-Type, so the request must carry none at all, and an HTTP library that adds one
 * "helpfully" breaks uploads. The body is streamed with an exact Content-Length (the service accepts it; SDKs send
 * it), with backpressure, and every byte written is counted. An abort destroys the request at once.
 */
import { once } from 'node:events'
import { DriverError, abortedError, networkError } from '../../errors/index.js'
import { openRequest, PUT_TIMEOUTS } from './transport.js'

export interface DataPutOptions {
  signal?: AbortSignal
  /** Called with the total bytes written so far in this attempt (for progress). */
  onWritten?: (written: number) => void
  /** The request fails with a network error when the socket is idle this long. */
  idleTimeoutMs?: number
  /** For messages: 'part 3 of 7'. */
  label: string
}

export interface DataPutResult {
  status: number
  /** Up to 64 KiB of the response body (OSS answers errors in XML, docs/api-notes.md §4.2). */
  body: string
  etag?: string
  /** Bytes of the body that went onto the socket. */
  written: number
}

const MAX_RESPONSE_BODY = 64 * 1024

export function dataPut(
  url: string,
  body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  length: number,
  opts: DataPutOptions,
): Promise<DataPutResult> {
  const { signal, label } = opts
  if (signal?.aborted) return Promise.reject(abortedError(signal))
  const target = new URL(url)
  return new Promise<DataPutResult>((resolve, reject) => {
    let written = 0
    let settled = false
    const finish = (fn: () => void) => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      fn()
    }
    const fail = (e: unknown) => finish(() => reject(e))
    // Only Content-Length (and our User-Agent): no Content-Type (signed as empty), no Connection header (keep-alive
    // comes from the agent).
    const timeouts = { ...PUT_TIMEOUTS, ...(opts.idleTimeoutMs ? { idleMs: opts.idleTimeoutMs } : {}) }
    const headers = { 'Content-Length': String(length) }
    const req = openRequest(target, { method: 'PUT', headers, signal, timeouts }, (res) => {
      const parts: Buffer[] = []
      let kept = 0
      res.on('data', (d: Buffer) => {
        if (kept < MAX_RESPONSE_BODY) {
          parts.push(d)
          kept += d.byteLength
        }
      })
      res.on('error', (e) => fail(networkError(`PUT ${label}`, e)))
      res.on('end', () => {
        // An early answer (e.g. 403 before the body was read): stop writing, the caller may reuse the body's buffer.
        if (!req.writableFinished) req.destroy()
        const etag = res.headers.etag
        finish(() =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(parts).toString('utf8'),
            written,
            ...(etag ? { etag: String(etag) } : {}),
          }),
        )
      })
    })
    // Rejected at once on abort, whatever the request is doing (transport.ts destroys it too).
    const onAbort = () => {
      const err = abortedError(signal)
      req.destroy(err)
      fail(err)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    req.on('error', (e) => fail(e instanceof DriverError ? e : networkError(`PUT ${label}`, e)))

    const pump = async () => {
      for await (const chunk of body) {
        if (settled) return
        if (written + chunk.byteLength > length) {
          throw new DriverError(
            'UPLOAD_FAILED',
            `${label}: the source yielded more than the ${length} bytes expected for this part`,
          )
        }
        written += chunk.byteLength
        const ok = req.write(chunk)
        opts.onWritten?.(written)
        if (!ok) await once(req, 'drain')
      }
      if (written !== length) {
        throw new DriverError('UPLOAD_FAILED', `${label}: the source yielded ${written} bytes, expected ${length}`)
      }
      req.end()
    }
    pump().catch((e: unknown) => {
      const err = signal?.aborted
        ? abortedError(signal)
        : e instanceof DriverError
          ? e
          : networkError(`PUT ${label}`, e)
      req.destroy(err)
      fail(err)
    })
  })
}
