/**
 * The web UI's batch tools over the same file service: batch rename (a list of {src_name, new_name} in one folder)
 * and "remove empty directories" (every folder under `src_dir` left without a file, deepest first; `src_dir` itself
 * stays), as OpenList's handlers do them (server/handles/fsmanage.go).
 */
import type { z } from 'zod'
import { DriverError } from '../../errors/index.js'
import type { Obj } from '../../host/types.js'
import type { ServerContext } from '../context.js'
import { cleanPath, joinTo } from '../safe-path.js'
import type { batchRenameReq, removeEmptyReq } from './ui-schemas.js'

function plainName(name: string): string {
  const clean = cleanPath(name)
  if (clean === '/' || clean.slice(1).includes('/')) throw new DriverError('NOT_SUPPORTED', `"${name}" is not a plain file or folder name`)
  return clean.slice(1)
}

export async function fsBatchRename(ctx: ServerContext, body: z.infer<typeof batchRenameReq>): Promise<void> {
  const dir = cleanPath(body.src_dir)
  for (const { src_name, new_name } of body.rename_objects) {
    // OpenList skips entries with an empty side.
    if (!src_name || !new_name) continue
    const obj = await ctx.fs.stat(joinTo(dir, plainName(src_name)))
    await ctx.fs.rename(obj, plainName(new_name), 'refuse')
  }
}

/** Removes the empty folders under `dir`; true when `dir` itself ended up empty. */
async function pruneEmpty(ctx: ServerContext, dir: Obj): Promise<boolean> {
  const { children } = await ctx.fs.list(dir.path, true)
  let remaining = children.length
  for (const child of children) {
    if (!child.isFolder) continue
    if (await pruneEmpty(ctx, child)) {
      await ctx.fs.remove(child)
      remaining--
    }
  }
  return remaining === 0
}

export async function fsRemoveEmptyDirectory(ctx: ServerContext, body: z.infer<typeof removeEmptyReq>): Promise<void> {
  const dir = await ctx.fs.stat(cleanPath(body.src_dir))
  if (!dir.isFolder) throw new DriverError('NOT_FOLDER', `"${dir.path}" is a file, not a folder`)
  await pruneEmpty(ctx, dir)
}
