/**
 * Search under a folder through AliyunDrive's `openFile/search`. Its `parent_file_id` condition matches direct
 * children only, so the query is a name match over the drive and each hit's place is found by walking its parents
 * (`openFile/get`, memoised per call): hits outside the mount root or outside `dir` are dropped, the rest get
 * mount-relative paths.
 */
import type { FilesApi } from '../api/files.js'
import { DriverError } from '../errors/index.js'
import type { Obj, SearchOptions } from '../host/types.js'
import { joinPath } from '../paths/mount-path.js'
import { fileName, toObj, type LivpFormat } from '../paths/to-obj.js'
import type { LivpSizes } from './livp-size.js'

const PAGE = 100
const DEFAULT_LIMIT = 1000
/**
 * Pages of drive-wide hits looked at before the search stops with what it has: the query matches names over the whole
 * drive, so without a bound a search under a small folder read every match of the drive (200 calls under an empty
 * folder, RELIABILITY.md "Small ones").
 */
const MAX_PAGES = 10
/** Folders listed to learn the whole subtree of a searched folder; a bigger subtree places hits by their parents. */
const SUBTREE_FOLDERS = 20
/** Deeper than any real tree; stops a parent cycle from looping. */
const MAX_DEPTH = 256
const DRIVE_ROOT = 'root'

/** AliyunDrive's query strings are double-quoted with no escape; a quote in the keywords could change the query. */
function quoted(keywords: string): string {
  if (/["\\]/.test(keywords)) throw new DriverError('NOT_SUPPORTED', 'search keywords must not contain " or \\')
  return `"${keywords}"`
}

export async function searchUnder(
  files: FilesApi,
  root: Obj,
  dir: Obj,
  keywords: string,
  opts: SearchOptions = {},
  livpFormat: LivpFormat = 'jpeg',
  livpSizes?: LivpSizes,
): Promise<Obj[]> {
  const limit = opts.limit ?? DEFAULT_LIMIT
  const conditions = [`name match ${quoted(keywords)}`]
  if (opts.scope === 'folders') conditions.push('type = "folder"')
  if (opts.scope === 'files') conditions.push('type = "file"')
  const query = conditions.join(' and ')
  const folderPaths = new Map<string, string | null>([[root.id, '/']])
  if (root.id !== DRIVE_ROOT) folderPaths.set(DRIVE_ROOT, null)
  const callOpts = opts.signal ? { signal: opts.signal } : {}

  /** Mount-relative path of folder `id`, or null when it is not inside the mount. */
  const pathOfFolder = async (id: string, depth = 0): Promise<string | null> => {
    const known = folderPaths.get(id)
    if (known !== undefined) return known
    if (depth > MAX_DEPTH) return null
    const wire = await files.get(id, callOpts)
    const parent = wire.parent_file_id ? await pathOfFolder(wire.parent_file_id, depth + 1) : null
    const path = parent === null ? null : joinPath(parent, fileName(wire))
    folderPaths.set(id, path)
    return path
  }

  // A small folder is listed whole first: an empty one needs no search at all, and every hit outside it is dropped
  // by its parent id, without walking its parents.
  const subtree = dir.path === '/' ? undefined : await folderPathsUnder(files, dir, callOpts)
  if (subtree?.size === 0) return []

  const found: Obj[] = []
  let marker = ''
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = await files.search(query, marker, PAGE, callOpts)
    for (const wire of page.items) {
      if (!wire.parent_file_id || wire.file_id === root.id) continue
      if (subtree && !subtree.has(wire.parent_file_id)) continue
      const parent = subtree ? subtree.get(wire.parent_file_id)! : await pathOfFolder(wire.parent_file_id)
      if (parent === null) continue
      const obj = toObj(wire, parent, undefined, livpFormat)
      if (dir.path !== '/' && !obj.path.startsWith(`${dir.path}/`)) continue
      await livpSizes?.complete([wire], [obj], callOpts)
      found.push(obj)
      if (found.length >= limit) return found
    }
    const next = page.next_marker ?? ''
    if (!next || next === marker) return found
    marker = next
  }
  return found
}

/**
 * Paths of `dir` and every folder under it, by id, listing at most SUBTREE_FOLDERS folders; an empty map when `dir`
 * holds nothing at all; undefined when the subtree is bigger than that.
 */
async function folderPathsUnder(
  files: FilesApi,
  dir: Obj,
  callOpts: { signal?: AbortSignal },
): Promise<Map<string, string> | undefined> {
  const paths = new Map<string, string>([[dir.id, dir.path]])
  const queue = [dir.id]
  let entries = 0
  for (let listed = 0; queue.length > 0; listed++) {
    if (listed >= SUBTREE_FOLDERS) return undefined
    const id = queue.shift()!
    for (const child of await files.listAll(id, { order_by: '', order_direction: '' }, callOpts)) {
      entries++
      if (child.type !== 'folder') continue
      paths.set(child.file_id, joinPath(paths.get(id)!, fileName(child)))
      queue.push(child.file_id)
    }
  }
  return entries === 0 ? new Map() : paths
}
