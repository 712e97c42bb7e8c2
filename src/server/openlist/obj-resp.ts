/**
 * Obj → OpenList's ObjResp (server/handles/fsread.go). Times are RFC 3339 (Go time.Time); `hashinfo` is a JSON
 * *string* of {hashName: hex} ("{}" when unknown: an empty string makes OpenList log a warning), `hash_info` the
 * same as an object for the web UI.
 */
import type { Obj } from '../../host/types.js'
import { openListType } from '../mime.js'

export interface ObjResp {
  id: string
  path: string
  name: string
  size: number
  is_dir: boolean
  modified: string
  created: string
  sign: string
  thumb: string
  type: number
  hashinfo: string
  hash_info: Record<string, string> | null
}

export function toObjResp(obj: Obj, sign: string): ObjResp {
  const hashes: Record<string, string> = {}
  if (obj.hashes.sha1) hashes.sha1 = obj.hashes.sha1
  return {
    id: obj.id,
    path: obj.path,
    name: obj.name,
    size: obj.size,
    is_dir: obj.isFolder,
    modified: obj.modified.toISOString(),
    created: obj.created.toISOString(),
    sign: obj.isFolder ? '' : sign,
    thumb: obj.thumbnail ?? '',
    type: openListType(obj.name, obj.isFolder, obj.mimeType),
    hashinfo: JSON.stringify(hashes),
    hash_info: Object.keys(hashes).length ? hashes : null,
  }
}
