/**
 * The part URLs of one upload and the server's view of stored parts (docs/api-notes.md §3.8, §3.9, §6.3).
 * URLs are signed for about an hour (x-oss-expires). OpenList refreshes every 50 minutes by the clock, which does not
 * help a URL that expires during a slow part (docs/peers-and-pains.md #6); here a URL is refreshed before a part starts when
 * it would expire within a margin that grows with the observed part duration, and again whenever OSS answers 403.
 */
import type { UploadIds } from '../api/uploads.js'
import type { WirePartInfo } from '../api/wire.js'
import type { DriverConfig } from '../config/schema.js'
import { toInternalUploadUrl, urlExpiresAt } from './internal-url.js'
import type { UploadPort } from './port.js'

export type { UploadIds }

/** How many part numbers one getUploadUrl asks for: enough for ~1 GiB of 20 MiB parts, few unused signatures. */
const REFRESH_WINDOW = 50
/** Never start a part on a URL with less than this left. */
const MIN_MARGIN_MS = 30_000
/** Upper bound of the margin, however slow parts have been (URLs live ~1 h). */
const MAX_MARGIN_MS = 10 * 60_000

export class PartUrls {
  private readonly urls = new Map<number, string>()
  /** Refreshes done, for tests and logs. */
  refreshes = 0

  constructor(
    private readonly port: Pick<UploadPort, 'partUrls'>,
    private readonly ids: UploadIds,
    private readonly config: Pick<DriverConfig, 'internal_upload'>,
    private readonly lastPart: number,
    initial: ReadonlyArray<WirePartInfo> = [],
    private readonly now: () => number = Date.now,
  ) {
    this.store(initial)
  }

  /** The URL to PUT `partNumber` to, refreshed first if missing or about to expire. */
  async get(partNumber: number, slowestPartMs: number, signal?: AbortSignal): Promise<string> {
    let url = this.urls.get(partNumber)
    const margin = Math.min(MAX_MARGIN_MS, Math.max(MIN_MARGIN_MS, 2 * slowestPartMs))
    const expires = url ? urlExpiresAt(url) : undefined
    if (!url || (expires !== undefined && expires - this.now() < margin)) {
      await this.refresh(partNumber, signal)
      url = this.urls.get(partNumber)
    }
    if (!url) throw new Error(`openFile/getUploadUrl returned no URL for part ${partNumber}`)
    // Read the option live: the host may toggle it between uploads (docs/api-notes.md §6.4).
    return this.config.internal_upload ? toInternalUploadUrl(url) : url
  }

  /** Fresh URLs for `fromPart` and the parts after it (a window of them). */
  async refresh(fromPart: number, signal?: AbortSignal): Promise<void> {
    const to = Math.min(this.lastPart, fromPart + REFRESH_WINDOW - 1)
    const numbers: number[] = []
    for (let n = fromPart; n <= to; n++) numbers.push(n)
    const parts = await this.port.partUrls(this.ids, numbers, signal ? { signal } : {})
    this.refreshes++
    this.store(parts)
  }

  private store(parts: ReadonlyArray<WirePartInfo>): void {
    for (const p of parts) if (p.upload_url) this.urls.set(p.part_number, p.upload_url)
  }
}

/** Part numbers the server has stored for this upload (all pages), docs/api-notes.md §3.9. */
export async function listStoredParts(
  port: Pick<UploadPort, 'uploadedParts'>,
  ids: UploadIds,
  signal?: AbortSignal,
): Promise<Set<number>> {
  const stored = new Set<number>()
  let marker = ''
  for (let page = 0; page < 1000; page++) {
    const page = await port.uploadedParts(ids, marker, signal ? { signal } : {})
    for (const n of page.partNumbers) stored.add(n)
    const next = page.nextMarker
    if (!next || next === marker) break
    marker = next
  }
  return stored
}
