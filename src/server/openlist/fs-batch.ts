/**
 * The web UI's batch tools over the same file service: batch rename (a list of {src_name, new_name} in one folder),
 * "remove empty directories" (every folder under `src_dir` left without a file, deepest first; `src_dir` itself
 * stays) and recursive move, as OpenList's handlers (server/handles) do them.
 */
import type { z } from 'zod'
import { DriverError } from '../../errors/index.js'
import type { Obj } from '../../host/types.js'
import type { ServerContext } from '../context.js'
import { cleanPath, joinTo, validateName } from '../safe-path.js'
import type { batchRenameReq, recursiveMoveReq, removeEmptyReq } from './ui-schemas.js'

export async function fsBatchRename(ctx: ServerContext, body: z.infer<typeof batchRenameReq>): Promise<void> {
  const dir = cleanPath(body.src_dir)
  for (const { src_name, new_name } of body.rename_objects) {
    // OpenList skips entries with an empty side.
    if (!src_name || !new_name) continue
    const from = joinTo(dir, validateName(src_name))
    // Serialized with every other write to either name (src/server/path-lock.ts), as /api/fs/rename is.
    await ctx.pathLock.run([from, joinTo(dir, validateName(new_name))], async () => {
      await ctx.fs.rename(await ctx.fs.stat(from), validateName(new_name), 'refuse')
    })
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

/**
 * Every file anywhere under `src_dir` moved flat into `dst_dir` (folders stay), as OpenList's recursive move.
 * `conflict_policy` settles names already in `dst_dir` or met twice: cancel (refuse before moving anything), skip,
 * or overwrite. The refusal is code 409, not OpenList's 403, which would make its clients log in again and retry.
 */
export async function fsRecursiveMove(ctx: ServerContext, body: z.infer<typeof recursiveMoveReq>): Promise<void> {
  const srcDir = cleanPath(body.src_dir)
  const dst = await ctx.fs.stat(cleanPath(body.dst_dir))
  if (!dst.isFolder) throw new DriverError('NOT_FOLDER', `"${dst.path}" is a file, not a folder`)
  if (srcDir === dst.path) throw new DriverError('NOT_SUPPORTED', 'source and destination directories are the same')
  if (dst.path.startsWith(`${srcDir}/`))
    throw new DriverError('NOT_SUPPORTED', 'cannot move a directory to its subdirectory')
  const taken = new Set((await ctx.fs.list(dst.path, true)).children.map((c) => c.name))
  const moving: Obj[] = []
  const folders = [srcDir]
  while (folders.length > 0) {
    const { children } = await ctx.fs.list(folders.shift()!, true)
    for (const child of children) {
      if (child.isFolder) {
        folders.push(child.path)
        continue
      }
      if (taken.has(child.name)) {
        if (body.conflict_policy === 'cancel') throw new DriverError('ALREADY_EXISTS', `file [${child.name}] exists`)
        if (body.conflict_policy === 'skip') continue
      } else if (body.conflict_policy !== 'overwrite') {
        taken.add(child.name)
      }
      moving.push(child)
    }
  }
  for (const file of moving) {
    await ctx.pathLock.run([file.path, joinTo(dst.path, file.name)], () => ctx.fs.move(file, dst, 'overwrite'))
  }
}
