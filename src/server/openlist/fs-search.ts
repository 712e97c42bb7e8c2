/**
 * /api/fs/search through the driver's own search (AliyunDrive's `openFile/search`), in OpenList's answer shape
 * (server/handles/search.go: PageResp of {parent, name, is_dir, size, type}).
 */
import type { z } from 'zod'
import { isDriverError } from '../../errors/index.js'
import { SearchNotAvailableError } from '../server-errors.js'
import type { ServerContext } from '../context.js'
import { openListType } from '../mime.js'
import { cleanPath, parentOf } from '../safe-path.js'
import type { searchReq } from './ui-schemas.js'

const SCOPES = ['all', 'folders', 'files'] as const

export async function fsSearch(ctx: ServerContext, body: z.infer<typeof searchReq>) {
  const dir = await ctx.fs.stat(cleanPath(body.parent))
  const hits = await ctx.fs.search(dir, body.keywords, { scope: SCOPES[body.scope] ?? 'all' }).catch((e: unknown) => {
    // OpenList answers a storage without search as code 500 "search not available".
    if (isDriverError(e) && e.code === 'NOT_SUPPORTED') throw new SearchNotAvailableError('search not available')
    throw e
  })
  const page = Math.max(1, body.page)
  const perPage = body.per_page < 1 ? hits.length : body.per_page
  const slice = body.per_page < 1 ? hits : hits.slice((page - 1) * perPage, page * perPage)
  // As OpenList, parents are drive paths; the web UI cuts the account's base_path (from /api/me) off them.
  const base = ctx.account?.basePath ?? '/'
  const drivePath = (p: string) => (base === '/' ? p : p === '/' ? base : `${base}${p}`)
  return {
    content: slice.map((o) => ({
      parent: drivePath(parentOf(o.path)),
      name: o.name,
      is_dir: o.isFolder,
      size: o.size,
      type: openListType(o.name, o.isFolder, o.mimeType),
    })),
    total: hits.length,
  }
}
