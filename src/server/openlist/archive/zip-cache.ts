/**
 * The open zips of the last minute, so the UI's meta-then-list-then-extract sequence reads the central directory
 * once. One cache per file service (per server), keyed by the file's identity and version: a changed file is a new key.
 * A failure is kept as long as a success: otherwise anyone holding a signed /ae/ link of a broken or refused zip makes
 * us read its central directory again on every request (RELIABILITY.md "Zip archives cost what they should").
 * `refresh` (the UI's reload) retries.
 */
import type { Obj } from '../../../host/types.js'
import type { FsService } from '../../fs-service.js'
import { openZip, type OpenZip } from './zip-reader.js'

const TTL_MS = 60_000
const MAX_OPEN = 8

type Cache = Map<string, { zip: Promise<OpenZip>; at: number }>
const newCache = (): Cache => new Map()
const caches = new WeakMap<FsService, Cache>()

export function cachedZip(fs: FsService, file: Obj, refresh = false): Promise<OpenZip> {
  let cache = caches.get(fs)
  if (!cache) caches.set(fs, (cache = newCache()))
  const key = `${file.id}\0${file.size}\0${file.modified.getTime()}\0${file.hashes.sha1 ?? ''}`
  const now = Date.now()
  for (const [k, v] of cache) {
    if (now - v.at > TTL_MS || (k === key && refresh)) {
      cache.delete(k)
      void v.zip.then(
        (z) => z.close(),
        () => undefined,
      )
    }
  }
  const hit = cache.get(key)
  if (hit) return hit.zip
  const zip = openZip(fs, file)
  zip.catch(() => undefined)
  cache.set(key, { zip, at: now })
  while (cache.size > MAX_OPEN) {
    const [oldest, v] = cache.entries().next().value as [string, { zip: Promise<OpenZip> }]
    cache.delete(oldest)
    void v.zip.then(
      (z) => z.close(),
      () => undefined,
    )
  }
  return zip
}
