/**
 * Download links cached per file until shortly before they expire, with one upstream call in flight per file
 * (docs/contract.md §4 "link"). The expiry is read from the URL's `x-oss-expires` or the `expiration` field, because the
 * server clamps `expire_sec` whatever we ask (docs/peers-and-pains.md #5: links died after 15 min while OpenList assumed 4 h).
 */
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

export class LinkCache {
  private readonly entries = new Map<string, Entry>()
  private readonly inflight = new Map<string, Promise<Link>>()

  async get(fileId: string, fetch: () => Promise<Link>): Promise<Link> {
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
  }

  clear(): void {
    this.entries.clear()
  }
}

function reuseUntil(link: Link): number {
  const now = Date.now()
  if (!link.expiresAt) return now + UNKNOWN_EXPIRY_TTL_MS
  const lifetime = link.expiresAt.getTime() - now
  // A 900 s link is reused for 225 s, so every client gets at least 675 s of it.
  return now + lifetime * (1 - MIN_LIFE_LEFT_SHARE)
}
