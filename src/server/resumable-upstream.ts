/**
 * Proxied file bytes that hold an upstream slot only while they flow (RELIABILITY.md, "A paused reader never blocks
 * other downloads"). AliyunDrive allows about two concurrent downloads per user and app, so `serve` queues proxied
 * transfers on a few slots. A paused video player used to keep its slot (and its upstream connection) for as long as
 * it stayed paused — or, on Node 20, lost the whole transfer when the HTTP agent's 5 s idle timeout cut the upstream.
 * Here, when the client has not taken any bytes for `stallMs`, the upstream connection is closed and the slot given
 * back; when the client reads again, a slot is taken again and the transfer continues from the exact next byte with a
 * Range request. The download URL is asked for again each time (driver.link caches it until shortly before it
 * expires), so a transfer that outlives its URL is re-signed; an upstream 403 on a resume (a URL that expired early)
 * is retried with a fresh link. Waiting for a slot before the first byte is bounded: then 503 with Retry-After.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Obj } from '../host/types.js'
import { dataGet, type DataResponse } from '../http/data-plane/index.js'
import { isRetryableDownloadStatus } from '../http/retryable.js'
import type { ByteRange } from './byte-range.js'
import type { FsService } from './fs-service.js'
import { Semaphore } from './semaphore.js'
import { SlotWaitTimeout } from './server-errors.js'

/** The proxy's slots with their timing; `serve` builds one per server. */
export class ProxySlots extends Semaphore {
  constructor(
    max: number,
    /** A response whose client takes no bytes for this long gives its slot and upstream connection back. */
    readonly stallMs = 5_000,
    /** How long a new download waits for a slot before it is answered 503. */
    readonly waitMs = 15_000,
  ) {
    super(max)
  }
}

/** Upstream failures in a row, without a byte of progress between them, before the transfer is given up. */
const MAX_FAILURES_WITHOUT_PROGRESS = 3

export interface ProxyTransfer {
  req: IncomingMessage
  res: ServerResponse
  fs: FsService
  obj: Obj
  slots: ProxySlots
  /** Inclusive bytes to send. */
  range: ByteRange
  /** Called once the first upstream answer is good, to write the status line and headers. */
  writeHead: () => void
  /** Aborted when the client goes away. */
  signal: AbortSignal
}

export async function proxyResumable(t: ProxyTransfer): Promise<void> {
  const { stallMs, waitMs } = t.slots
  let release: (() => void) | undefined = await acquireBounded(t.slots, waitMs, t.signal, stallMs)
  let pos = t.range.start
  let headSent = false
  let failures = 0
  try {
    while (pos <= t.range.end) {
      if (!release) release = await t.slots.acquire(t.signal)
      const upstream = await openAt(t, pos, failures)
      if (!upstream) {
        failures++
        if (failures >= MAX_FAILURES_WITHOUT_PROGRESS)
          throw new Error(`the download host refused ${failures} times in a row`)
        continue
      }
      if (!headSent) {
        t.writeHead()
        headSent = true
      }
      const outcome = await pump(t.res, upstream, stallMs, (n) => {
        pos += n
        failures = 0
      })
      if (outcome === 'closed') return
      if (outcome === 'stalled') {
        // Give the slot back while the client is not reading; wait for it to read again (or leave).
        release()
        release = undefined
        if ((await waitForDrain(t.res, Infinity)) === 'closed') return
        continue
      }
      if (outcome === 'upstream-failed') {
        failures++
        if (failures >= MAX_FAILURES_WITHOUT_PROGRESS) throw new Error('the download host kept breaking the connection')
      }
    }
    t.res.end()
  } finally {
    release?.()
  }
}

/** The first slot: bounded wait, so a burst of downloads is told to come back instead of queueing forever. */
async function acquireBounded(
  slots: Semaphore,
  waitMs: number,
  client: AbortSignal,
  stallMs: number,
): Promise<() => void> {
  const timeout = AbortSignal.timeout(waitMs)
  try {
    return await slots.acquire(AbortSignal.any([client, timeout]))
  } catch (e) {
    if (timeout.aborted && !client.aborted) throw new SlotWaitTimeout(Math.max(1, Math.ceil(stallMs / 1000)))
    throw e
  }
}

/** An upstream response for bytes pos..end, or undefined when the host refused (to be retried with a fresh link). */
async function openAt(t: ProxyTransfer, pos: number, failures: number): Promise<DataResponse | undefined> {
  if (failures > 0) await new Promise((r) => setTimeout(r, 250 * failures))
  const link = await t.fs.link(t.obj)
  const whole = pos === 0 && t.range.end === t.obj.size - 1
  const upstream = await dataGet(link.url, {
    headers: link.headers ?? {},
    ...(whole ? {} : { range: { start: pos, end: t.range.end } }),
    signal: t.signal,
    label: `proxied download of "${t.obj.path}"`,
  })
  const status = upstream.statusCode
  const rangeOk = status === 206 && new RegExp(`^bytes ${pos}-`).test(String(upstream.headers['content-range'] ?? ''))
  if ((whole && status === 200) || rangeOk) return upstream
  upstream.resume()
  // 403 is an expired or early-expired URL: the next attempt asks driver.link again.
  if (isRetryableDownloadStatus(status)) return undefined
  throw new Error(`the download host answered HTTP ${status}`)
}

type PumpOutcome = 'done' | 'stalled' | 'closed' | 'upstream-failed'

async function pump(
  res: ServerResponse,
  upstream: IncomingMessage,
  stallMs: number,
  progressed: (n: number) => void,
): Promise<PumpOutcome> {
  try {
    for await (const chunk of upstream) {
      const buf = chunk as Buffer
      if (res.destroyed) return 'closed'
      const flowing = res.write(buf)
      progressed(buf.length)
      if (!flowing) {
        const drained = await waitForDrain(res, stallMs)
        if (drained !== 'drain') return drained === 'closed' ? 'closed' : 'stalled'
      }
    }
    return upstream.complete ? 'done' : 'upstream-failed'
  } catch {
    return res.destroyed ? 'closed' : 'upstream-failed'
  } finally {
    upstream.destroy()
  }
}

function waitForDrain(res: ServerResponse, ms: number): Promise<'drain' | 'stall' | 'closed'> {
  if (res.destroyed) return Promise.resolve('closed')
  if (!res.writableNeedDrain) return Promise.resolve('drain')
  return new Promise((resolve) => {
    const done = (v: 'drain' | 'stall' | 'closed') => {
      clearTimeout(timer)
      res.off('drain', onDrain)
      res.off('close', onClose)
      resolve(v)
    }
    const onDrain = () => done('drain')
    const onClose = () => done('closed')
    const timer = Number.isFinite(ms) ? setTimeout(() => done('stall'), ms) : undefined
    res.on('drain', onDrain)
    res.on('close', onClose)
  })
}
