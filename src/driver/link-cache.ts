/**
 * Download links cached per file until shortly before they expire, with one upstream call in flight per file
 * (docs/contract.md §4 "link"). The expiry is read from the URL's `x-oss-expires` or the `expiration` field, because the
 * server clamps `expire_sec` whatever we ask (docs/peers-and-pains.md #5: links died after 15 min while OpenList assumed 4 h).
 */
import type { WireFile } from '../api/wire.js'
import type { Link } from '../host/types.js'
import { urlExpiresAt } from '../util/oss-expires.js'

/** Without any expiry information, reuse a link for one minute only, as OpenList does (docs/api-notes.md §9.3). */
const UNKNOWN_EXPIRY_TTL_MS = 60_000
/**
 * A link is handed out only while it keeps at least this share of the lifetime AliyunDrive gave it: a browser or a
 * player gets the URL after a redirect and may need it for a long time (real links live 900 s for ordinary apps;
 * handing out one with 3 minutes left made playback die with "Request has expired").
 */
const MIN_LIFE_LEFT_SHARE = 3 / 4

export function linkExpiry(url: string, expiration?: string | null): Date | undefined {
  const signedUntil = urlExpiresAt(url)
  if (signedUntil !== undefined && signedUntil > 0) return new Date(signedUntil)
  if (expiration) {
    const t = Date.parse(expiration)
    if (!Number.isNaN(t)) return new Date(t)
  }
  return undefined
}

interface Entry {
  link: Link
  reuseUntil: number
}

/**
 * A listed URL is used only by a caller that downloads and verifies at once (a file under 5 MB), so it needs only a
 * minute of life left, not three quarters of it.
 */
const LISTED_MIN_LIFE_MS = 60_000
/** AliyunDrive's listings carry a direct download URL for files under 5 MB (docs/api-notes.md §3.0). */
const LISTED_URL_MAX_BYTES = 5 * 1000 * 1000
/** Listings of huge folders must not grow the cache without bound: past this, expired listed URLs are dropped. */
const LISTED_PRUNE_AT = 20_000

export class LinkCache {
  private readonly entries = new Map<string, Entry>()
  private readonly inflight = new Map<string, Promise<Link>>()
  /** URLs listings carried for small files (docs/api-notes.md §3.0), kept with the expiry their x-oss-expires says. */
  private readonly listedUrls = new Map<string, Link>()

  putListed(fileId: string, url: string): void {
    const expiresAt = linkExpiry(url)
    if (!expiresAt) return // without an expiry there is no telling whether it is still good
    if (this.listedUrls.size >= LISTED_PRUNE_AT) {
      const now = Date.now()
      for (const [id, l] of this.listedUrls) if (l.expiresAt!.getTime() <= now) this.listedUrls.delete(id)
    }
    this.listedUrls.set(fileId, { url, expiresAt })
  }

  /**
   * Keeps the `url` of listed files under 5 MB that carry a SHA-1 to check it against; images are left out, since
   * theirs may be a preview (docs/api-notes.md §3.0). Returns the listing, so the caller can go on mapping it.
   */
  rememberListed(wires: WireFile[]): WireFile[] {
    for (const w of wires)
      if (
        w.type === 'file' &&
        w.url &&
        w.content_hash &&
        (w.size ?? Infinity) < LISTED_URL_MAX_BYTES &&
        w.category !== 'image'
      )
        this.putListed(w.file_id, w.url)
    return wires
  }

  /** The listed URL of a file while it has a minute of life left. */
  listed(fileId: string): Link | undefined {
    const link = this.listedUrls.get(fileId)
    if (!link) return undefined
    if (link.expiresAt!.getTime() - Date.now() >= LISTED_MIN_LIFE_MS) return link
    this.listedUrls.delete(fileId)
    return undefined
  }

  /** `listedUrl`: a fresh URL from a listing will do (the caller verifies the bytes, see `LinkOptions`). */
  async get(fileId: string, fetch: () => Promise<Link>, listedUrl = false): Promise<Link> {
    const listed = listedUrl ? this.listed(fileId) : undefined
    if (listed) return listed
    const hit = this.entries.get(fileId)
    if (hit && Date.now() < hit.reuseUntil) return hit.link
    const pending = this.inflight.get(fileId)
    if (pending) return pending
    const request = fetch()
      .then((link) => {
        this.entries.set(fileId, { link, reuseUntil: reuseUntil(link) })
        return link
      })
      .finally(() => this.inflight.delete(fileId))
    this.inflight.set(fileId, request)
    return request
  }

  invalidate(fileId: string): void {
    this.entries.delete(fileId)
    this.listedUrls.delete(fileId)
  }

  clear(): void {
    this.entries.clear()
    this.listedUrls.clear()
  }
}

function reuseUntil(link: Link): number {
  const now = Date.now()
  if (!link.expiresAt) return now + UNKNOWN_EXPIRY_TTL_MS
  const lifetime = link.expiresAt.getTime() - now
  // A 900 s link is reused for 225 s, so every client gets at least 675 s of it.
  return now + lifetime * (1 - MIN_LIFE_LEFT_SHARE)
}
