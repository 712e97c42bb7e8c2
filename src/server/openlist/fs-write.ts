/**
 * mkdir, rename, move, copy and remove as OpenList's server takes them. Move and copy refuse a taken name unless
 * `overwrite`, `skip_existing` or (copy) `merge` is set (as OpenList does); the refusal is code 409 rather than
 * OpenList's 403, because a 403 makes the OpenList client log in again and retry the same doomed request.
 */
import type { z } from 'zod'
import { alreadyExists } from '../../conflict/policy.js'
import { DriverError, isDriverError } from '../../errors/index.js'
import type { Obj } from '../../host/types.js'
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
  const names = body.names.map((raw) => validateName(raw))
  const plan = await planTransfers(ctx, kind, body, srcDir, dstDir, names)
  for (const { name, mergeInto } of plan) {
    await ctx.pathLock.run([joinTo(srcDir, name), joinTo(dstDir.path, name)], async () => {
      const obj = await ctx.fs.stat(joinTo(srcDir, name))
      if (mergeInto) return mergeFolder(ctx, obj, mergeInto)
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

/**
 * What to do with each name, decided before anything is moved, as OpenList's FsMove/FsCopy do
 * (server/handles/fsmanage.go): without `overwrite`, a taken target refuses the whole request, unless
 * `skip_existing` (or `merge`) drops that name (source and target untouched), or `merge` on copy names a folder
 * held by a folder, whose new members are then copied in.
 */
async function planTransfers(
  ctx: ServerContext,
  kind: 'move' | 'copy',
  body: z.infer<typeof moveCopyReq>,
  srcDir: string,
  dstDir: Obj,
  names: string[],
): Promise<Array<{ name: string; mergeInto?: Obj }>> {
  const merge = kind === 'copy' && body.merge
  const plan: Array<{ name: string; mergeInto?: Obj }> = []
  for (const name of names) {
    // Within one folder there is nothing to look up: move is a no-op and copy picks a free name.
    const existing =
      body.overwrite || srcDir === dstDir.path ? undefined : await ctx.fs.tryStat(joinTo(dstDir.path, name))
    if (!existing) plan.push({ name })
    else if (merge && existing.isFolder && (await ctx.fs.stat(joinTo(srcDir, name))).isFolder)
      plan.push({ name, mergeInto: existing })
    else if (!body.skip_existing && !merge)
      throw alreadyExists(joinTo(dstDir.path, name), 'set overwrite to replace it, or skip_existing to keep it')
  }
  return plan
}

/** Copies the members of `src` that `dst` lacks into it; folders both hold are merged the same way. */
async function mergeFolder(ctx: ServerContext, src: Obj, dst: Obj): Promise<void> {
  const held = new Map((await ctx.fs.list(dst.path, true)).children.map((c) => [c.name, c]))
  for (const child of (await ctx.fs.list(src.path, true)).children) {
    const there = held.get(child.name)
    if (!there) await ctx.fs.copy(child, dst, 'refuse')
    else if (there.isFolder && child.isFolder) await mergeFolder(ctx, child, there)
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
