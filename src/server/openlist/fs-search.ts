/**
 * /api/fs/search through the driver's own search (AliyunDrive's `openFile/search`), in OpenList's answer shape
 * (server/handles/search.go: PageResp of {parent, name, is_dir, size, type}).
 */
import type { z } from 'zod'
import type { ServerContext } from '../context.js'
import { openListType } from '../mime.js'
import { cleanPath, parentOf } from '../safe-path.js'
import type { searchReq } from './ui-schemas.js'

const SCOPES = ['all', 'folders', 'files'] as const

export class SearchNotAvailableError extends Error {}

export async function fsSearch(ctx: ServerContext, body: z.infer<typeof searchReq>) {
  const driver = ctx.fs.driver
  if (!driver.search) throw new SearchNotAvailableError('search not available')
  const dir = await ctx.fs.stat(cleanPath(body.parent))
  const hits = await driver.search(dir, body.keywords, { scope: SCOPES[body.scope] ?? 'all' })
  const page = Math.max(1, body.page)
  const perPage = body.per_page < 1 ? hits.length : body.per_page
  const slice = body.per_page < 1 ? hits : hits.slice((page - 1) * perPage, page * perPage)
  return {
    content: slice.map((o) => ({ parent: parentOf(o.path), name: o.name, is_dir: o.isFolder, size: o.size, type: openListType(o.name, o.isFolder) })),
    total: hits.length,
  }
}
