/**
 * Mutations: `update` (docs/api-notes.md §3.13), `move` (docs/api-notes.md §3.14), `copy` (docs/api-notes.md §3.15),
 * `recyclebin/trash` and `delete` (docs/api-notes.md §3.16/3.17), `async_task/get` (docs/api-notes.md §3.18). Folder
 * move/copy/trash/delete are applied at once but, like the real service, answer with an `async_task_id` whose task
 * reports `Running` for a configurable number of polls before `Succeed`.
 */
import { ApiError, fileNotFound, inRecycleBin } from '../api-error.js'
import { fileView } from '../file-view.js'
import { optBool, optString, reqString } from '../http-io.js'
import { alreadyExists, parseNameMode, validateName } from '../names.js'
import type { DriveTree, FileNode } from '../state/drive-tree.js'
import type { EmulatorState } from '../state/emulator-state.js'
import type { ApiRoute } from './route.js'

function asyncFor(state: EmulatorState, node: FileNode): Record<string, string> {
  return node.type === 'folder' ? { async_task_id: state.newTask() } : {}
}

/** Cross-drive moves and copies are not emulated: the driver works inside one drive. */
function sameDrive(tree: DriveTree, toDriveId: string | undefined): void {
  if (toDriveId && toDriveId !== tree.driveId) {
    throw new ApiError(400, 'InvalidParameter.ToDriveId', 'The emulator does not support cross-drive operations.')
  }
}

function targetFolder(state: EmulatorState, tree: DriveTree, node: FileNode, toParent: string): string {
  const parentId = state.requireLiveFolder(tree, toParent)
  if (node.type === 'folder' && tree.isSelfOrAncestor(node.fileId, parentId)) {
    throw new ApiError(400, 'InvalidParameter.ToParentFileId', 'A folder cannot be moved or copied into itself.')
  }
  return parentId
}

function deepCopy(state: EmulatorState, tree: DriveTree, src: FileNode, parentId: string, name: string): FileNode {
  const copy = state.newNode(tree, parentId, name, src.type, true)
  copy.localCreatedAt = src.localCreatedAt
  copy.localModifiedAt = src.localModifiedAt
  tree.add(copy)
  if (src.blob) state.linkBlob(copy, src.blob)
  for (const child of tree.listed(src.fileId)) deepCopy(state, tree, child, copy.fileId, child.name)
  return copy
}

function subtreeBytes(tree: DriveTree, node: FileNode): number {
  let total = node.blob?.size ?? 0
  for (const child of tree.listed(node.fileId)) total += subtreeBytes(tree, child)
  return total
}

export const fileWriteRoutes: ApiRoute[] = [
  {
    path: '/adrive/v1.0/openFile/update',
    cls: 'other',
    handle({ state, auth, body }) {
      const tree = state.requireDrive(auth.userId, optString(body, 'drive_id'))
      const node = state.requireLiveNode(tree, reqString(body, 'file_id'))
      const newName = optString(body, 'name')
      if (newName !== undefined && newName !== node.name) {
        validateName(newName)
        // Default `ignore`: OpenList's after-rename duplicate cleanup (docs/api-notes.md §9.5) implies a rename onto a taken
        // name succeeds (docs/api-notes.md §3.13, §12.5). `refuse` → 400 AlreadyExist.File (ODAL's mapping).
        const asked = parseNameMode(optString(body, 'check_name_mode'), 'ignore')
        const mode = state.opts.updateIgnoresCheckNameMode ? 'ignore' : asked
        const clash = tree.findChild(node.parentId, newName)
        if (clash && clash !== node && mode === 'refuse') throw alreadyExists(newName)
        node.name = mode === 'auto_rename' ? tree.uniqueName(node.parentId, newName, node.fileId) : newName
      }
      const starred = optBool(body, 'starred')
      if (starred !== undefined) node.starred = starred
      node.updatedAt = state.now()
      return fileView(node, state.opts)
    },
  },
  {
    path: '/adrive/v1.0/openFile/move',
    cls: 'other',
    handle({ state, auth, body }) {
      const tree = state.requireDrive(auth.userId, optString(body, 'drive_id'))
      const node = state.requireLiveNode(tree, reqString(body, 'file_id'))
      sameDrive(tree, optString(body, 'to_drive_id'))
      const parentId = targetFolder(state, tree, node, reqString(body, 'to_parent_file_id'))
      const mode = parseNameMode(optString(body, 'check_name_mode'), 'refuse')
      const newName = optString(body, 'new_name')
      let name = node.name
      const clash = (n: string): boolean => {
        const c = tree.findChild(parentId, n)
        return c !== undefined && c !== node
      }
      if (clash(name)) {
        if (newName !== undefined && !clash(validateName(newName))) name = newName
        else if (mode === 'auto_rename') name = tree.uniqueName(parentId, name, node.fileId)
        else if (mode === 'refuse') {
          // A refused move is not an error: the answer says `exist: true` and nothing moves. OpenList failed on
          // exactly this flag before it switched to `ignore` (docs/api-notes.md §3.14, OL-hist 0a9921fa).
          return { drive_id: tree.driveId, file_id: node.fileId, exist: true }
        }
      }
      tree.reparent(node, parentId)
      node.name = name
      node.updatedAt = state.now()
      return { drive_id: tree.driveId, file_id: node.fileId, exist: false, ...asyncFor(state, node) }
    },
  },
  {
    path: '/adrive/v1.0/openFile/copy',
    cls: 'other',
    handle({ state, auth, body }) {
      const tree = state.requireDrive(auth.userId, optString(body, 'drive_id'))
      const node = state.requireLiveNode(tree, reqString(body, 'file_id'))
      sameDrive(tree, optString(body, 'to_drive_id'))
      const parentId = targetFolder(state, tree, node, reqString(body, 'to_parent_file_id'))
      // auto_rename false (default) allows duplicate names (docs/api-notes.md §3.15).
      const name = optBool(body, 'auto_rename') === true ? tree.uniqueName(parentId, node.name) : node.name
      state.checkQuota(auth.userId, subtreeBytes(tree, node))
      const copy = deepCopy(state, tree, node, parentId, name)
      return { drive_id: tree.driveId, file_id: copy.fileId, ...asyncFor(state, node) }
    },
  },
  {
    path: '/adrive/v1.0/openFile/recyclebin/trash',
    cls: 'other',
    handle({ state, auth, body }) {
      const tree = state.requireDrive(auth.userId, optString(body, 'drive_id'))
      const node = state.requireNode(tree, reqString(body, 'file_id'))
      if (tree.inRecycleBin(node)) throw inRecycleBin()
      node.trashed = true
      node.trashedAt = state.now()
      return { drive_id: tree.driveId, file_id: node.fileId, ...asyncFor(state, node) }
    },
  },
  {
    path: '/adrive/v1.0/openFile/delete',
    cls: 'other',
    handle({ state, auth, body }) {
      const tree = state.requireDrive(auth.userId, optString(body, 'drive_id'))
      const fileId = reqString(body, 'file_id')
      // Deleting an unfinished upload's reserved id aborts it (ODAL does this, docs/api-notes.md §3.16); trashed items can be
      // deleted for good (emptying the bin).
      const node = tree.get(fileId)
      if (!node) throw fileNotFound(fileId)
      const extra = asyncFor(state, node)
      state.deleteSubtree(tree, node)
      return { drive_id: tree.driveId, file_id: fileId, ...extra }
    },
  },
  {
    path: '/adrive/v1.0/openFile/async_task/get',
    cls: 'other',
    handle({ state, body }) {
      const id = reqString(body, 'async_task_id')
      const task = state.tasks.get(id)
      if (!task) throw new ApiError(404, 'NotFound.AsyncTask', `The async task cannot be found: ${id}`)
      if (task.runningPollsLeft > 0) {
        task.runningPollsLeft--
        return { async_task_id: id, state: 'Running' }
      }
      return { async_task_id: id, state: 'Succeed' }
    },
  },
]
