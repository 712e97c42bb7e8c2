/**
 * `openFile/search` (docs/api-notes.md §3.19), a simple subset of the query language: conditions joined by `and` only, each
 * `<field> = "v"` or `name match "v"` for fields name, parent_file_id, file_extension, type, category.
 * `or`, ranges and parentheses answer InvalidParameter.Query rather than a wrong result.
 */
import { ApiError } from '../api-error.js'
import { fileView } from '../file-view.js'
import { optInt, optString } from '../http-io.js'
import { paginate } from '../list-paging.js'
import { categoryOf, extensionOf } from '../media.js'
import type { FileNode } from '../state/drive-tree.js'
import type { ApiRoute } from './route.js'

type Predicate = (n: FileNode) => boolean
const FIELDS: Record<string, (n: FileNode) => string> = {
  name: (n) => n.name,
  parent_file_id: (n) => n.parentId,
  file_extension: (n) => extensionOf(n.name),
  type: (n) => n.type,
  category: (n) => (n.type === 'file' ? categoryOf(n.name) : ''),
}

function parseQuery(query: string): Predicate[] {
  const conditions = query.split(/\s+and\s+/i)
  if (conditions.length > 5) throw new ApiError(400, 'InvalidParameter.Query', 'At most 5 conditions.')
  return conditions.map((cond) => {
    const m = /^\s*(\w+)\s*(=|match)\s*(["'])(.*)\3\s*$/.exec(cond)
    const get = m?.[1] ? FIELDS[m[1]] : undefined
    if (!m || !get || /\s+or\s+/i.test(cond)) {
      throw new ApiError(400, 'InvalidParameter.Query', `Unsupported query condition: ${cond}`)
    }
    const value = m[4] ?? ''
    return m[2] === 'match' ? (n) => get(n).toLowerCase().includes(value.toLowerCase()) : (n) => get(n) === value
  })
}

export const searchRoute: ApiRoute = {
  path: '/adrive/v1.0/openFile/search',
  cls: 'other',
  handle({ state, auth, body }) {
    const tree = state.requireDrive(auth.userId, optString(body, 'drive_id'))
    const predicates = parseQuery(optString(body, 'query') ?? '')
    const all = tree.walk().filter((n) => n.visible && !tree.inRecycleBin(n) && predicates.every((p) => p(n)))
    // order_by here is "<field> <ASC|DESC>" (docs/api-notes.md §3.19).
    const [orderBy, orderDirection] = (optString(body, 'order_by') ?? '').split(/\s+/)
    const { items, nextMarker } = paginate(all, {
      limit: optInt(body, 'limit') ?? 100,
      marker: optString(body, 'marker'),
      orderBy: orderBy || undefined,
      orderDirection: orderDirection || undefined,
    })
    return { items: items.map((n) => fileView(n, state.opts)), next_marker: nextMarker, total_count: all.length }
  },
}
