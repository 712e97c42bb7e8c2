/**
 * The part loop (docs/api-notes.md §6.1, §6.3): parts go strictly in order, one at a time (the service rejects parallel or
 * out-of-order parts with PartNotSequential). While part n is on the wire, part n+1 is read into memory (a bounded
 * prefetch of one part), so a disk or a slow producer does not stall the socket; a part stays in memory until it is
 * stored, so a re-send never needs the source again. Memory is therefore about two parts (≤ 2 × 105 MiB for files up
 * to 1 TiB); above 1 TiB (5 GiB parts) parts are streamed from the source instead and re-read on a retry.
 * The SHA-1 of the bytes sent is computed on the way, in order, so `complete`'s answer can be checked against it.
 */
import { createHash } from 'node:crypto'
import { DriverError, throwIfAborted } from '../errors/index.js'
import type { Logger, UploadSource } from '../host/types.js'
import type { PartPlan } from './part-plan.js'
import { readPart, type PartBytes } from './part-reader.js'
import { canReadInto, hasInternals } from './sources/internal-source.js'
import { listStoredParts, type PartUrls, type UploadIds } from './part-urls.js'
import type { ProgressReporter } from './progress.js'
import { sendPart, type PartBody, type PartRetryPolicy } from './send-part.js'
import type { UploadPort } from './port.js'

/** Parts up to this size are held in memory (prefetch + re-send); every tier up to 1 TiB is below it (docs/api-notes.md §6.2). */
export const MAX_BUFFERED_PART = 128 * 1024 * 1024
/** Resynchronisations allowed per part before giving up (a server that keeps disagreeing is not converging). */
const MAX_RESYNCS_PER_PART = 3

export interface MultipartContext {
  port: UploadPort
  ids: UploadIds
  source: UploadSource
  plan: PartPlan
  urls: PartUrls
  policy: PartRetryPolicy
  progress: ProgressReporter
  signal?: AbortSignal
  logger?: Logger
  /** Parts a resumed upload already has on the service: read and hashed, not sent. */
  stored?: ReadonlySet<number>
  /** Called after each part is stored (a resumable upload records it). */
  onPartStored?: (partNumber: number) => void
}

export interface MultipartResult {
  /** SHA-1 (lower-case hex) of everything sent, when every byte went through this process in order. */
  sha1?: string
  resyncs: number
}

export async function uploadParts(ctx: MultipartContext): Promise<MultipartResult> {
  const { plan, source, signal } = ctx
  const buffered = plan.partSize <= MAX_BUFFERED_PART
  const hash = createHash('sha1')
  let hashedParts = 0
  // Reads stop when the upload stops, whatever the reason; their late failures are observed (no unhandled rejection).
  const reads = new AbortController()
  const stopReads = () => reads.abort(signal?.reason)
  signal?.addEventListener('abort', stopReads, { once: true })
  const loaded = new Map<number, Promise<PartBytes>>()
  // Two reused part buffers: part i is in slot i % 2 (at most parts i and i+1 are alive; see resync below).
  const slots: Array<Uint8Array | undefined> = [undefined, undefined]
  const slotFor = (index: number): Uint8Array | undefined => {
    if (!buffered || !canReadInto(source)) return undefined
    return (slots[index % 2] ??= Buffer.allocUnsafeSlow(Math.min(plan.partSize, source.size)))
  }
  const load = (index: number): Promise<PartBytes> => {
    let p = loaded.get(index)
    if (!p) {
      const part = plan.parts[index]!
      p = readPart(source, part, plan.count, reads.signal, slotFor(index))
      p.catch(() => {})
      loaded.set(index, p)
    }
    return p
  }

  if (!buffered && hasInternals(source)) {
    // Streamed parts are re-read on a retry: a non-seekable source must be spooled first (a file is a no-op).
    await source.prepareRandomAccess(signal)
  }
  let stored = new Set<number>(ctx.stored ?? [])
  let confirmedBytes = 0
  let slowestPartMs = 0
  let resyncs = 0
  const resyncsAt = new Map<number, number>()
  try {
    let i = 0
    while (i < plan.count) {
      throwIfAborted(signal)
      const part = plan.parts[i]!
      let body: PartBody
      if (buffered) {
        const bytes = await load(i)
        // Drop parts behind us; keep this one (a re-send) and start reading the next one while this one is sent.
        for (const k of loaded.keys()) if (k < i) loaded.delete(k)
        // load() attaches its own catch: a failed read-ahead surfaces when that part is awaited, not as unhandled.
        if (i + 1 < plan.count) void load(i + 1)
        if (i === hashedParts) {
          for (const c of bytes.chunks) hash.update(c)
          hashedParts++
        }
        body = () => bytes.chunks
      } else {
        body = () => source.read(part.start, part.end, signal)
      }

      const started = Date.now()
      const outcome = stored.has(part.number)
        ? 'stored'
        : await sendPart(part, body, {
            urls: ctx.urls,
            policy: ctx.policy,
            count: plan.count,
            slowestPartMs,
            ...(signal ? { signal } : {}),
            ...(ctx.logger ? { logger: ctx.logger } : {}),
            onWritten: (written) => ctx.progress.report('uploading', confirmedBytes + written),
          })
      slowestPartMs = Math.max(slowestPartMs, Date.now() - started)

      if (outcome === 'not-sequential') {
        const seen = (resyncsAt.get(part.number) ?? 0) + 1
        resyncsAt.set(part.number, seen)
        if (seen > MAX_RESYNCS_PER_PART) {
          throw new DriverError(
            'UPLOAD_FAILED',
            `part ${part.number} of ${plan.count}: the server keeps answering PartNotSequential`,
          )
        }
        resyncs++
        // Continue from the server's view (docs/peers-and-pains.md #13): the first part it does not have.
        stored = await listStoredParts(ctx.port, ctx.ids, signal)
        let next = 1
        while (stored.has(next)) next++
        ctx.logger?.info(
          `part ${part.number} of ${plan.count}: PartNotSequential; the server holds parts 1..${next - 1}, continuing at ${next}`,
        )
        // Let a running prefetch finish (a stream cannot serve two reads at once) and forget what was read: the
        // slot rule (part i in slot i % 2, only i and i+1 alive) holds again from wherever we continue.
        await Promise.allSettled([...loaded.values()])
        loaded.clear()
        if (next - 1 < i) confirmedBytes = plan.parts[next - 1]?.start ?? confirmedBytes
        i = Math.min(next - 1, plan.count)
        continue
      }
      confirmedBytes = Math.max(confirmedBytes, part.end)
      ctx.progress.report('uploading', confirmedBytes)
      ctx.onPartStored?.(part.number)
      i++
    }
  } finally {
    signal?.removeEventListener('abort', stopReads)
    reads.abort()
    loaded.clear()
  }
  const complete = buffered && hashedParts === plan.count
  return { resyncs, ...(complete ? { sha1: hash.digest('hex') } : {}) }
}
