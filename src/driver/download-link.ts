/** A file's download link from `openFile/getDownloadUrl`, with the Live Photo case and the link's real expiry. */
import type { FilesApi } from '../api/files.js'
import type { DriverConfig } from '../config/schema.js'
import { DriverError } from '../errors/index.js'
import type { CallOptions, Link, Obj } from '../host/types.js'
import { linkExpiry } from './link-cache.js'

export async function fetchDownloadLink(
  files: FilesApi,
  file: Obj,
  livpFormat: DriverConfig['livp_download_format'],
  opts: CallOptions,
): Promise<Link> {
  const res = await files.downloadUrl(file.id, opts)
  let url = res.url ?? ''
  if (!url && file.name.toLowerCase().endsWith('.livp')) {
    // Live Photos have no single URL; their streams are in `streamsUrl` (docs/api-notes.md §8).
    url = res.streamsUrl?.[livpFormat] ?? ''
    const streams = Object.keys(res.streamsUrl ?? {}).join(', ') || 'none'
    if (!url)
      throw new DriverError(
        'UPSTREAM',
        `"${file.path}" is a Live Photo without a ${livpFormat} stream (streams: ${streams})`,
      )
  }
  if (!url) throw new DriverError('UPSTREAM', `openFile/getDownloadUrl returned no URL for "${file.path}"`)
  const expiresAt = linkExpiry(url, res.expiration)
  return { url, ...(expiresAt ? { expiresAt } : {}) }
}
