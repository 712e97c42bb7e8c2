/** Wire → host mapping. AliyunDrive sends upper-case SHA-1 and null sizes for folders. */
import { fileName, type WireFile } from '../api/wire.js'
import type { Obj } from '../host/types.js'
import { joinPath } from './mount-path.js'

// The wire-name fallback lives with the wire shapes (the listing check uses it too); re-exported for the mapping's users.
export { fileName }

/** Which stream of a Live Photo a mount delivers (the `livp_download_format` setting). */
export type LivpFormat = 'jpeg' | 'mov'
const STREAM_TYPES: Record<LivpFormat, string> = { jpeg: 'image/jpeg', mov: 'video/quicktime' }

export function toObj(wire: WireFile, parentDir: string, now = new Date(), livpFormat: LivpFormat = 'jpeg'): Obj {
  const name = fileName(wire)
  const isFolder = wire.type === 'folder'
  const obj: Obj = {
    id: wire.file_id,
    path: joinPath(parentDir, name),
    name,
    size: isFolder ? 0 : (wire.size ?? 0),
    isFolder,
    modified: parseTime(wire.updated_at) ?? now,
    created: parseTime(wire.created_at) ?? parseTime(wire.updated_at) ?? now,
    hashes: {},
  }
  if (!isFolder && wire.content_hash && (wire.content_hash_name ?? 'sha1') === 'sha1')
    obj.hashes.sha1 = wire.content_hash.toLowerCase()
  if (wire.thumbnail) obj.thumbnail = wire.thumbnail
  if (!isFolder && name.toLowerCase().endsWith('.livp')) asDeliveredStream(obj, wire, livpFormat)
  return obj
}

/**
 * A Live Photo is delivered as one of its streams (its link is that stream's URL), so it is described as that
 * stream: its size from `streams_info`, its media type, and no SHA-1 (the content hash is the .livp container's, which
 * no route delivers). Listing size, Content-Length and ETag then agree (docs/api-notes.md §13.1).
 */
/** A Live Photo whose answer carries no size for the delivered stream: the driver learns it (docs/api-notes.md §13.2). */
export function livpStreamSizeUnknown(wire: WireFile, format: LivpFormat): boolean {
  return (
    wire.type !== 'folder' &&
    fileName(wire).toLowerCase().endsWith('.livp') &&
    wire.streams_info?.[format] === undefined
  )
}

function asDeliveredStream(obj: Obj, wire: WireFile, format: LivpFormat): void {
  const size = wire.streams_info?.[format]
  if (size !== undefined) obj.size = size
  obj.hashes = {}
  obj.mimeType = STREAM_TYPES[format]
}

function parseTime(value: string | null | undefined): Date | undefined {
  if (!value) return undefined
  const t = Date.parse(value)
  return Number.isNaN(t) ? undefined : new Date(t)
}
