/**
 * mkdir, rename, move, copy and remove as OpenList's server takes them. Move and copy refuse a taken name unless
 * `overwrite` is set (as OpenList does); the refusal is code 409 rather than OpenList's 403, because a 403 makes the
 * OpenList client log in again and retry the same doomed request.
 */
import type { z } from 'zod'
import { DriverError, isDriverError } from '../../errors/index.js'
import type { ServerContext } from '../context.js'
import { cleanPath, joinTo, parentOf, validateName } from '../safe-path.js'
import type { mkdirReq, moveCopyReq, removeReq, renameReq } from './schemas.js'

// Each write holds the per-path lock of every path it touches (ctx.pathLock), shared with WebDAV.
// `name` and `names` are single names, never paths: validateName (src/paths/mount-path.ts) refuses one that would
// address another folder, as the driver refuses it.

export async function fsMkdir(ctx: ServerContext, body: z.infer<typeof mkdirReq>): Promise<void> {
  const path = cleanPath(body.path)
  await ctx.pathLock.run([path], () => ctx.fs.mkdirp(path))
}

export async function fsRename(ctx: ServerContext, body: z.infer<typeof renameReq>): Promise<void> {
  const path = cleanPath(body.path)
  const name = validateName(body.name)
  await ctx.pathLock.run([path, joinTo(parentOf(path), name)], async () => {
    const obj = await ctx.fs.stat(path)
    await ctx.fs.rename(obj, name, body.overwrite ? 'overwrite' : 'refuse')
  })
}

export async function fsMoveOrCopy(
  ctx: ServerContext,
  kind: 'move' | 'copy',
  body: z.infer<typeof moveCopyReq>,
): Promise<void> {
  const srcDir = cleanPath(body.src_dir)
  const dstDir = await ctx.fs.stat(cleanPath(body.dst_dir))
  if (!dstDir.isFolder) throw new DriverError('NOT_FOLDER', `"${dstDir.path}" is a file, not a folder`)
  for (const raw of body.names) {
    const name = validateName(raw)
    await ctx.pathLock.run([joinTo(srcDir, name), joinTo(dstDir.path, name)], async () => {
      const obj = await ctx.fs.stat(joinTo(srcDir, name))
      const conflict = body.overwrite ? 'overwrite' : 'refuse'
      if (kind === 'move') {
        if (parentOf(obj.path) === dstDir.path) return // already there: OpenList treats it as done
        await ctx.fs.move(obj, dstDir, conflict)
      } else {
        await ctx.fs.copy(obj, dstDir, parentOf(obj.path) === dstDir.path ? 'rename' : conflict)
      }
    })
  }
}

export async function fsRemove(ctx: ServerContext, body: z.infer<typeof removeReq>): Promise<void> {
  const dir = cleanPath(body.dir)
  for (const raw of body.names) {
    const path = joinTo(dir, validateName(raw))
    await ctx.pathLock.run([path], async () => {
      // A name that is already gone is removed: OpenList's op.Remove answers success too, and a client repeating a
      // remove whose answer it lost must not see a failure.
      let obj
      try {
        obj = await ctx.fs.stat(path)
      } catch (e) {
        if (isDriverError(e) && e.code === 'NOT_FOUND') return
        throw e
      }
      await ctx.fs.remove(obj)
      ctx.dav.props.removeAll(obj.id) // its WebDAV dead properties go with it
    })
  }
}
