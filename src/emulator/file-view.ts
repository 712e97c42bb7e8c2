/**
 * Wire shapes of file objects (docs/api-notes.md §3.0) and of the create response (docs/api-notes.md §3.7, which names the file in
 * `file_name` and leaves `name` and the timestamps null).
 */
import type { FileNode } from './state/drive-tree.js'
import { categoryOf, extensionOf, mimeOf } from './media.js'
import { isoMs } from './time.js'
import { livpStreamSizes } from './livp.js'

export const DOMAIN_ID = 'bj29'

/**
 * The File object of list/get/update/complete. `local_*` are only echoed by complete (docs/api-notes.md §6.7).
 * `livpStreamsInfo: false` leaves out a Live Photo's `streams_info`, as older answers do (docs/api-notes.md §13.2).
 */
export function fileView(
  node: FileNode,
  opts: { withLocalTimes?: boolean; livpStreamsInfo?: boolean } = {},
): Record<string, unknown> {
  const isFile = node.type === 'file'
  const ext = extensionOf(node.name)
  const view: Record<string, unknown> = {
    drive_id: node.driveId,
    domain_id: DOMAIN_ID,
    file_id: node.fileId,
    parent_file_id: node.parentId,
    name: node.name,
    type: node.type,
    created_at: isoMs(node.createdAt),
    updated_at: isoMs(node.updatedAt),
    local_created_at: opts.withLocalTimes ? (node.localCreatedAt ?? null) : null,
    local_modified_at: opts.withLocalTimes ? (node.localModifiedAt ?? null) : null,
    starred: node.starred,
    hidden: false,
    trashed: node.trashed,
    status: 'available',
    revision_id: node.revisionId,
    encrypt_mode: 'none',
    punish_flag: 0,
  }
  if (node.trashed && node.trashedAt !== undefined) view.trashed_at = isoMs(node.trashedAt)
  if (isFile) {
    Object.assign(view, {
      size: node.blob?.size ?? 0,
      file_extension: ext,
      content_hash: node.blob?.sha1 ?? '',
      content_hash_name: 'sha1',
      category: categoryOf(node.name),
      mime_type: mimeOf(node.name),
      content_type: mimeOf(node.name),
    })
    if (ext === 'livp' && node.blob && opts.livpStreamsInfo !== false) {
      const sizes = livpStreamSizes(node.blob.sha1)
      view.streams_info = { jpeg: { size: sizes.jpeg }, mov: { size: sizes.mov } }
    }
  }
  return view
}

/** The shape `create` answers with: mostly nulls, the name in `file_name` (ISS AlistGo/alist#4242). */
export function createView(node: FileNode, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    drive_id: node.driveId,
    domain_id: DOMAIN_ID,
    file_id: node.fileId,
    parent_file_id: node.parentId,
    file_name: node.name,
    name: null,
    type: node.type,
    status: null,
    available: null,
    exist: false,
    revision_id: node.revisionId,
    location: 'cn-beijing',
    encrypt_mode: 'none',
    created_at: null,
    updated_at: null,
    local_created_at: null,
    local_modified_at: null,
    ...extra,
  }
}
