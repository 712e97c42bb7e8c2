/**
 * Read routes: `openFile/list` (docs/api-notes.md §3.3), `get` (docs/api-notes.md §3.4), `get_by_path`
 * (docs/api-notes.md §3.5), `batch/get` (docs/api-notes.md §3.6).
 */
import { fileNotFound } from '../api-error.js'
import { fileView } from '../file-view.js'
import { withListedUrl } from '../listed-url.js'
import { optInt, optString, reqString } from '../http-io.js'
import { paginate } from '../list-paging.js'
import { ROOT_ID } from '../state/drive-tree.js'
import type { ApiRoute } from './route.js'

export const fileReadRoutes: ApiRoute[] = [
  {
    path: '/adrive/v1.0/openFile/list',
    cls: 'list',
    handle({ state, auth, body }) {
      const tree = state.requireDrive(auth.userId, optString(body, 'drive_id'))
      const parentId = state.requireLiveFolder(tree, reqString(body, 'parent_file_id'))
      let nodes = tree.listed(parentId)
      const type = optString(body, 'type')
      if (type === 'file' || type === 'folder') nodes = nodes.filter((n) => n.type === type)
      const { items, nextMarker } = paginate(nodes, {
        limit: optInt(body, 'limit'),
        marker: optString(body, 'marker'),
        orderBy: optString(body, 'order_by'),
        orderDirection: optString(body, 'order_direction'),
      })
      return { items: items.map((n) => withListedUrl(state, n, fileView(n, state.opts))), next_marker: nextMarker }
    },
  },
  {
    path: '/adrive/v1.0/openFile/get',
    cls: 'other',
    handle({ state, auth, body }) {
      const tree = state.requireDrive(auth.userId, optString(body, 'drive_id'))
      // A trashed file can still be fetched by id; it shows `trashed: true`.
      const node = state.requireNode(tree, reqString(body, 'file_id'))
      return withListedUrl(state, node, fileView(node, state.opts))
    },
  },
  {
    path: '/adrive/v1.0/openFile/get_by_path',
    cls: 'other',
    handle({ state, auth, body }) {
      const tree = state.requireDrive(auth.userId, optString(body, 'drive_id'))
      const path = reqString(body, 'file_path')
      const found = tree.resolvePath(path)
      // The root itself is not a file object; real clients never ask for '/'.
      if (!found || found === ROOT_ID) throw fileNotFound(path)
      return withListedUrl(state, found, fileView(found, state.opts))
    },
  },
  {
    path: '/adrive/v1.0/openFile/batch/get',
    cls: 'other',
    handle({ state, auth, body }) {
      // `{items: [File]}` as the iOS SDK reads it (docs/api-notes.md §12.14); unknown ids are left out.
      const list = Array.isArray(body.file_list) ? (body.file_list as Record<string, unknown>[]) : []
      const items: Record<string, unknown>[] = []
      for (const entry of list) {
        const tree = state.requireDrive(auth.userId, optString(entry, 'drive_id'))
        const node = tree.get(optString(entry, 'file_id') ?? '')
        if (node?.visible) items.push(withListedUrl(state, node, fileView(node)))
      }
      return { items }
    },
  },
]
