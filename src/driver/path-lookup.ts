/** Mount path → object, for `get`: one `get_by_path` call when the drive root is mounted, else a walk through listings. */
import type { FilesApi } from '../api/files.js'
import { DriverError, isDriverError } from '../errors/index.js'
import type { CallOptions, Logger, Obj } from '../host/types.js'
import { joinPath, parentPath, splitPath } from '../paths/mount-path.js'
import { toObj, type LivpFormat } from '../paths/to-obj.js'
import type { LinkCache } from './link-cache.js'
import type { LivpSizes } from './livp-size.js'
import type { PathCache } from './path-cache.js'

export interface LookupContext {
  files: FilesApi
  logger: Logger | undefined
  root: Obj
  paths: PathCache
  livpFormat: LivpFormat
  /** Keeps the download `url` a small file's answer carries (docs/api-notes.md §3.0), as listings do. */
  links?: LinkCache
  /** Sizes of Live Photo streams the answer did not carry (docs/api-notes.md §13.2). */
  livpSizes?: LivpSizes
  list(dir: Obj, opts: CallOptions): Promise<Obj[]>
}

/**
 * With the drive root mounted, mount paths are drive paths: one `get_by_path` call (docs/api-notes.md §3.5). That endpoint has
 * been removed and re-added and has answered 400 for odd paths, so a 400 that is not a NotFound falls back to the
 * walk through listings (logged), rather than failing a lookup the listings can answer.
 */
export async function getByDrivePath(ctx: LookupContext, path: string, opts: CallOptions): Promise<Obj> {
  try {
    const wire = await ctx.files.getByPath(path, opts)
    ctx.links?.rememberListed([wire])
    const obj = toObj(wire, parentPath(path), undefined, ctx.livpFormat)
    await ctx.livpSizes?.complete([wire], [obj], opts)
    return obj
  } catch (e) {
    if (isDriverError(e) && e.code === 'NOT_FOUND') {
      throw new DriverError('NOT_FOUND', `nothing at "${path}"`, { ...(e.apiCode ? { apiCode: e.apiCode } : {}) })
    }
    if (isDriverError(e) && e.status === 400) {
      ctx.logger?.warn(
        `openFile/get_by_path refused "${path}" (${e.apiCode ?? 'HTTP 400'}); resolving through listings instead`,
      )
      return walk(ctx, path, opts)
    }
    throw e
  }
}

/** With a sub-folder mounted, resolve segment by segment through listings (cached). */
export async function walk(ctx: LookupContext, path: string, opts: CallOptions): Promise<Obj> {
  let current = ctx.root
  for (const name of splitPath(path)) {
    const next = joinPath(current.path, name)
    const cached = ctx.paths.get(next)
    if (cached) {
      current = cached
      continue
    }
    if (!current.isFolder) throw new DriverError('NOT_FOUND', `nothing at "${path}": "${current.path}" is a file`)
    const children = await ctx.list(current, opts)
    const child = children.find((c) => c.name === name)
    if (!child) throw new DriverError('NOT_FOUND', `nothing at "${path}"`)
    current = child
  }
  return current
}
