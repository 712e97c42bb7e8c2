/**
 * One drive's file tree: nodes by id, a children index, the recycle bin flag and the name rules of
 * `check_name_mode` (docs/api-notes.md §3.7). Uploads reserve an invisible node at `create`; `complete` makes it visible
 * (docs/api-notes.md §12.7: the file is not listed before complete).
 */
import type { DriveType } from '../types.js'
import type { Blob } from './blob-store.js'

export const ROOT_ID = 'root'

export interface FileNode {
  fileId: string
  driveId: string
  parentId: string
  name: string
  type: 'file' | 'folder'
  blob?: Blob
  createdAt: number
  updatedAt: number
  localCreatedAt?: string | undefined
  localModifiedAt?: string | undefined
  trashed: boolean
  trashedAt?: number
  /** false between an upload's create and its complete. */
  visible: boolean
  revisionId: string
  starred: boolean
}

/** `check_name_mode` as the service takes it; the client's `CheckNameMode` is kept apart on purpose (src/emulator/names.ts). */
export type NameMode = 'refuse' | 'ignore' | 'auto_rename'

export class DriveTree {
  readonly nodes = new Map<string, FileNode>()
  private readonly children = new Map<string, Set<string>>()

  constructor(
    readonly driveId: string,
    readonly userId: string,
    readonly driveType: DriveType,
  ) {}

  get(id: string): FileNode | undefined {
    return this.nodes.get(id)
  }

  add(node: FileNode): void {
    this.nodes.set(node.fileId, node)
    this.childSet(node.parentId).add(node.fileId)
  }

  /** Removes a node and its whole subtree; returns the removed nodes (the caller releases their blobs). */
  removeSubtree(node: FileNode): FileNode[] {
    const removed: FileNode[] = []
    const walk = (n: FileNode): void => {
      for (const c of this.rawChildren(n.fileId)) walk(c)
      removed.push(n)
      this.nodes.delete(n.fileId)
      this.children.delete(n.fileId)
    }
    walk(node)
    this.children.get(node.parentId)?.delete(node.fileId)
    return removed
  }

  reparent(node: FileNode, newParentId: string): void {
    this.children.get(node.parentId)?.delete(node.fileId)
    node.parentId = newParentId
    this.childSet(newParentId).add(node.fileId)
  }

  /** Every child, including invisible reservations and trashed items. */
  rawChildren(parentId: string): FileNode[] {
    const ids = this.children.get(parentId)
    if (!ids) return []
    const out: FileNode[] = []
    for (const id of ids) {
      const n = this.nodes.get(id)
      if (n) out.push(n)
    }
    return out
  }

  /** What `list` shows: completed, not trashed. */
  listed(parentId: string): FileNode[] {
    return this.rawChildren(parentId).filter((n) => n.visible && !n.trashed)
  }

  findChild(parentId: string, name: string): FileNode | undefined {
    return this.listed(parentId).find((n) => n.name === name)
  }

  /** In the recycle bin itself or under a trashed folder. */
  inRecycleBin(node: FileNode): boolean {
    for (let n: FileNode | undefined = node; n; n = this.nodes.get(n.parentId)) if (n.trashed) return true
    return false
  }

  isFolderId(id: string): boolean {
    return id === ROOT_ID || this.nodes.get(id)?.type === 'folder'
  }

  /** Whether `ancestorId` is `id` or one of its ancestors (moving a folder into itself is refused). */
  isSelfOrAncestor(ancestorId: string, id: string): boolean {
    for (let cur: string | undefined = id; cur && cur !== ROOT_ID; cur = this.nodes.get(cur)?.parentId) {
      if (cur === ancestorId) return true
    }
    return false
  }

  pathOf(node: FileNode): string {
    const names: string[] = []
    for (let n: FileNode | undefined = node; n; n = this.nodes.get(n.parentId)) names.unshift(n.name)
    return '/' + names.join('/')
  }

  /** Resolves an absolute path through listed (visible, not trashed) entries; '/' is the root. */
  resolvePath(path: string): FileNode | 'root' | undefined {
    const parts = path.split('/').filter((p) => p !== '')
    let parent = ROOT_ID
    let node: FileNode | undefined
    for (const part of parts) {
      node = this.findChild(parent, part)
      if (!node) return undefined
      parent = node.fileId
    }
    return node ?? 'root'
  }

  /** `a.txt` → `a(1).txt`, `a(2).txt`…; folders `a` → `a(1)` (the real service's auto_rename style). */
  uniqueName(parentId: string, name: string, exceptId?: string): string {
    const taken = (n: string): boolean => this.listed(parentId).some((c) => c.name === n && c.fileId !== exceptId)
    if (!taken(name)) return name
    const dot = name.lastIndexOf('.')
    const [base, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, '']
    for (let i = 1; ; i++) {
      const candidate = `${base}(${i})${ext}`
      if (!taken(candidate)) return candidate
    }
  }

  /** Depth-first, for tests. */
  walk(parentId = ROOT_ID, out: FileNode[] = []): FileNode[] {
    for (const c of this.rawChildren(parentId)) {
      out.push(c)
      if (c.type === 'folder') this.walk(c.fileId, out)
    }
    return out
  }

  private childSet(parentId: string): Set<string> {
    let s = this.children.get(parentId)
    if (!s) {
      s = new Set()
      this.children.set(parentId, s)
    }
    return s
  }
}
