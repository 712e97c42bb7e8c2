/** Wire → host mapping. AliyunDrive sends upper-case SHA-1 and null sizes for folders. */
import { fileName, type WireFile } from '../api/wire.js'
import type { Obj } from '../host/types.js'
import { joinPath } from './mount-path.js'

// The wire-name fallback lives with the wire shapes (the listing check uses it too); re-exported for the mapping's users.
export { fileName }

export function toObj(wire: WireFile, parentDir: string, now = new Date()): Obj {
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
  return obj
}

function parseTime(value: string | null | undefined): Date | undefined {
  if (!value) return undefined
  const t = Date.parse(value)
  return Number.isNaN(t) ? undefined : new Date(t)
}
