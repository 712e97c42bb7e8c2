/**
 * Ordering and opaque markers for `openFile/list` and `search` (docs/api-notes.md §3.3). The marker encodes the last item's sort
 * key and id, so the next page starts strictly after it even if entries were added or removed in between.
 * Default order when `order_by` is empty is `name ASC` (docs/api-notes.md §12.2 leaves it open; a stable, readable order).
 */
import { ApiError } from './api-error.js'
import type { FileNode } from './state/drive-tree.js'

export const MAX_LIMIT = 200
const DEFAULT_LIMIT = 50

type OrderBy = 'name' | 'name_enhanced' | 'created_at' | 'updated_at' | 'size'
const ORDERS: OrderBy[] = ['name', 'name_enhanced', 'created_at', 'updated_at', 'size']

interface Cursor {
  k: string | number
  id: string
}

function keyOf(node: FileNode, by: OrderBy): string | number {
  switch (by) {
    case 'name':
    case 'name_enhanced':
      return node.name
    case 'created_at':
      return node.createdAt
    case 'updated_at':
      return node.updatedAt
    case 'size':
      return node.blob?.size ?? 0
  }
}

const enhanced = new Intl.Collator('en', { numeric: true })

function compareKeys(a: string | number, b: string | number, by: OrderBy): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (by === 'name_enhanced') return enhanced.compare(String(a), String(b))
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0
}

export interface PageRequest {
  limit?: number | undefined
  marker?: string | undefined
  orderBy?: string | undefined
  orderDirection?: string | undefined
}

export function paginate(nodes: FileNode[], req: PageRequest): { items: FileNode[]; nextMarker: string } {
  const limit = req.limit ?? DEFAULT_LIMIT
  // docs/api-notes.md §12.1: the docs say max 100, OpenList sends 200 and it works; the web API rejected > 200.
  if (limit < 1 || limit > MAX_LIMIT)
    throw new ApiError(400, 'InvalidParameter.Limit', 'The input parameter limit is not valid.')
  const by = (req.orderBy ?? 'name') as OrderBy
  if (!ORDERS.includes(by))
    throw new ApiError(400, 'InvalidParameter.OrderBy', 'The input parameter order_by is not valid.')
  const dirRaw = (req.orderDirection ?? 'ASC').toUpperCase()
  if (dirRaw !== 'ASC' && dirRaw !== 'DESC') {
    throw new ApiError(400, 'InvalidParameter.OrderDirection', 'The input parameter order_direction is not valid.')
  }
  const sign = dirRaw === 'DESC' ? -1 : 1
  const cmp = (a: Cursor, b: Cursor): number => {
    const c = compareKeys(a.k, b.k, by)
    return sign * (c !== 0 ? c : a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  }
  const cursorOf = (n: FileNode): Cursor => ({ k: keyOf(n, by), id: n.fileId })
  let sorted = nodes.map((n) => ({ n, c: cursorOf(n) })).sort((a, b) => cmp(a.c, b.c))
  if (req.marker) {
    const after = decodeMarker(req.marker)
    sorted = sorted.filter((e) => cmp(e.c, after) > 0)
  }
  const page = sorted.slice(0, limit)
  const last = page[page.length - 1]
  const nextMarker = sorted.length > limit && last ? encodeMarker(last.c) : ''
  return { items: page.map((e) => e.n), nextMarker }
}

function encodeMarker(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url')
}

function decodeMarker(marker: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as Cursor
    if ((typeof c.k === 'string' || typeof c.k === 'number') && typeof c.id === 'string') return c
  } catch {
    // fall through
  }
  throw new ApiError(400, 'InvalidParameter.Marker', 'The input parameter marker is not valid.')
}
