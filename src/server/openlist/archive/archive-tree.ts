/**
 * The folder tree of a zip, built in one pass over the entries (RELIABILITY.md "Zip archives cost what they should").
 * The tree used to be rebuilt by scanning every folder path for every folder, with the implied parent paths re-joined
 * per level: quadratic in folders and cubic in depth (8,000 folders: 37 s of blocked event loop; a 2,000-deep chain:
 * 70 s). Here each entry walks its path's segments once through per-folder maps, so the cost is linear in the total
 * length of the names, and no full path of an implied folder is ever built. The meta answer is serialized without
 * recursion: JSON.stringify overflows the stack near 2,500 levels, and zip names allow 32,000.
 */
import { openListType } from '../../mime.js'
import type { ObjResp } from '../obj-resp.js'

/** An ObjResp (obj-resp.ts) as OpenList's archive handlers send it: `hash_info` is always null there. */
export type ArchiveObj = Omit<ObjResp, 'hash_info'> & { hash_info: null }

interface IndexedEntry {
  path: string
  isFolder: boolean
  size: number
  modified: Date
}

export interface ArchiveFolder {
  name: string
  modified: Date
  folders: Map<string, ArchiveFolder>
  files: IndexedEntry[]
}

export function toArchiveObj(name: string, isFolder: boolean, size: number, modified: Date): ArchiveObj {
  const time = modified.toISOString()
  return {
    id: '',
    path: '',
    name,
    size,
    is_dir: isFolder,
    modified: time,
    created: time,
    sign: '',
    thumb: '',
    type: openListType(name, isFolder),
    hashinfo: 'null',
    hash_info: null,
  }
}

const folder = (name: string, modified: Date): ArchiveFolder => ({ name, modified, folders: new Map(), files: [] })

export const emptyArchiveIndex = (): ArchiveFolder => folder('', new Date(0))

/**
 * Adds one entry: folders implied by its path take its time when first seen; a folder's own entry sets its time.
 * Called as each central record is read (zip-reader.ts), so the work is spread over the reads, not done in one block.
 */
export function addToArchiveIndex(root: ArchiveFolder, e: IndexedEntry): void {
  const parts = e.path.split('/').filter((p) => p !== '')
  if (parts.length === 0) return
  const last = e.isFolder ? parts.length : parts.length - 1
  let at = root
  for (let i = 0; i < last; i++) {
    const name = parts[i]!
    let next = at.folders.get(name)
    if (!next) at.folders.set(name, (next = folder(name, e.modified)))
    at = next
  }
  if (e.isFolder) at.modified = e.modified
  else at.files.push({ ...e, path: parts[parts.length - 1]! })
}

/** Nodes serialized between two turns of the event loop: other requests wait at most this much work. */
const NODES_PER_TURN = 1_000

/** The folder at `inner` ('' = the archive's root), walked by segment. */
export function findArchiveFolder(root: ArchiveFolder, inner: string): ArchiveFolder | undefined {
  let at: ArchiveFolder | undefined = root
  for (const name of inner.split('/').filter((p) => p !== '')) {
    at = at.folders.get(name)
    if (!at) return undefined
  }
  return at
}

/** The direct children of a folder: its folders, then its files (the order OpenList's UI shows). */
export function archiveChildren(at: ArchiveFolder): ArchiveObj[] {
  return [
    ...[...at.folders.values()].map((f) => toArchiveObj(f.name, true, 0, f.modified)),
    ...at.files.map((f) => toArchiveObj(f.path, false, f.size, f.modified)),
  ]
}

/**
 * The whole tree as OpenList's meta `content` JSON (each folder with `children`, each file with null), iteratively,
 * yielding to the event loop every NODES_PER_TURN nodes.
 */
export async function archiveTreeJson(root: ArchiveFolder): Promise<string> {
  let nodes = 0
  const turn = async () => {
    if (++nodes % NODES_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve))
  }
  const out: string[] = []
  // Each frame: the folder's children still to write, and whether one was written already.
  const stack: Array<{ folders: Iterator<ArchiveFolder>; files: IndexedEntry[]; next: number; first: boolean }> = []
  const open = (f: ArchiveFolder) => {
    out.push('[')
    stack.push({ folders: f.folders.values(), files: f.files, next: 0, first: true })
  }
  const objHead = (o: ArchiveObj) => JSON.stringify(o).slice(0, -1) + ',"children":'
  open(root)
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!
    const sub = top.folders.next()
    if (!sub.done) {
      out.push(top.first ? '' : ',', objHead(toArchiveObj(sub.value.name, true, 0, sub.value.modified)))
      top.first = false
      open(sub.value)
      await turn()
      continue
    }
    for (const f of top.files) {
      out.push(top.first ? '' : ',', objHead(toArchiveObj(f.path, false, f.size, f.modified)), 'null}')
      top.first = false
      await turn()
    }
    stack.pop()
    out.push(']')
    if (stack.length > 0) out.push('}')
  }
  return out.join('')
}
