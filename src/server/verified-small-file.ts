/**
 * A proxied small file without spending the link budget (docs/api-notes.md §13.3): AliyunDrive allows about one
 * `getDownloadUrl` a second per user, but its listings carry a download URL for files under 5 MB
 * (docs/api-notes.md §3.0). A proxied answer cannot take back bytes once sent, so such a file is read whole into
 * memory first (at most 5 MB, on one of the proxy's slots like any other download), checked against the SHA-1 the
 * listing carried, and only then sent.
 * Bytes that do not verify, an error or a refusal from the download host give `undefined`: the caller then proxies
 * as before, with getDownloadUrl's link. A URL whose bytes did not verify is not tried again.
 */
import { createHash } from 'node:crypto'
import type { Obj } from '../host/types.js'
import { dataGet } from '../http/data-plane/index.js'
import type { FsService } from './fs-service.js'
import type { ProxySlots } from './resumable-upstream.js'

/** Listings carry a URL for files under 5 MB (docs/api-notes.md §3.0); larger files are never held in memory. */
const LISTED_URL_MAX_BYTES = 5 * 1000 * 1000
/** Listed URLs whose bytes did not verify; bounded, since every listing hands out new URLs. */
const refused = new Set<string>()
const REFUSED_MAX = 1_000

/** The file's verified bytes, or undefined when the caller should proxy it the ordinary way. */
export async function verifiedSmallFile(
  fs: FsService,
  obj: Obj,
  slots: ProxySlots,
  signal: AbortSignal,
): Promise<Buffer | undefined> {
  const sha1 = obj.hashes.sha1?.toLowerCase()
  if (!sha1 || obj.size <= 0 || obj.size >= LISTED_URL_MAX_BYTES) return undefined
  // A driver error (no such file, no link) is the answer either way: let the caller map it to its status.
  const link = await fs.link(obj, { listedUrl: true, signal })
  if (refused.has(link.url)) return undefined
  // A short wait for a slot only: when they are all busy the ordinary path queues this request (and answers 503).
  let release: (() => void) | undefined
  try {
    release = await slots.acquire(AbortSignal.any([signal, AbortSignal.timeout(slots.waitMs)]))
  } catch {
    return undefined
  }
  try {
    const bytes = await readWhole(link.url, link.headers ?? {}, obj.size, signal)
    if (bytes && createHash('sha1').update(bytes).digest('hex') === sha1) return bytes
  } catch (e) {
    // The client went away: nothing to answer. Any other failure of the listed URL (refused, cut, no answer: NETWORK
    // from the data plane) falls back to the ordinary path.
    if (signal.aborted) throw e
  } finally {
    release()
  }
  if (refused.size >= REFUSED_MAX) refused.clear()
  refused.add(link.url)
  return undefined
}

/** The whole body of a 200 answer, or undefined when the host refused or sent more or fewer than `size` bytes. */
async function readWhole(
  url: string,
  headers: Record<string, string>,
  size: number,
  signal: AbortSignal,
): Promise<Buffer | undefined> {
  const res = await dataGet(url, { headers, signal, label: 'download from a listed URL' })
  if (res.statusCode !== 200) {
    res.resume()
    return undefined
  }
  const chunks: Buffer[] = []
  let length = 0
  for await (const chunk of res) {
    length += (chunk as Buffer).length
    if (length > size) {
      res.destroy()
      return undefined
    }
    chunks.push(chunk as Buffer)
  }
  return length === size ? Buffer.concat(chunks, length) : undefined
}
