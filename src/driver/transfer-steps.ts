/**
 * The steps rename, move and copy share around their one API call: the checks before it, and for an overwrite the
 * previous holder captured before and removed after (by id, only if it still is that holder: src/conflict/replace-guard.ts).
 * The facade supplies its caches and its removal through `TransferContext`.
 */
import type { FilesApi } from '../api/files.js'
import { alreadyExists, replaceableHolder } from '../conflict/policy.js'
import { removeIfStillHolder } from '../conflict/replace-guard.js'
import { DriverError } from '../errors/index.js'
import type { CallOptions, ConflictMode, Logger, Obj } from '../host/types.js'
import { isIntoItself, parentPath as parentPathOf } from '../paths/mount-path.js'
import { toObj, type LivpFormat } from '../paths/to-obj.js'
import { waitForAsyncTask } from './async-task.js'

export interface TransferContext {
  files: FilesApi
  logger: Logger | undefined
  livpFormat: LivpFormat
  list(dir: Obj, opts: CallOptions): Promise<Obj[]>
  removeById(fileId: string, what: string, opts: CallOptions): Promise<void>
  /** Drops an object from the path and link caches. */
  forget(obj: Obj): void
  /** Puts an object into the path cache. */
  remember(obj: Obj): void
}

/** The object other than `self` that holds `name` in `dir`, refusing to replace a folder by a file or vice versa. */
export async function holderOf(
  ctx: TransferContext,
  dir: Obj,
  name: string,
  self: Obj,
  opts: CallOptions,
): Promise<Obj | undefined> {
  return replaceableHolder(await ctx.list(dir, opts), name, self)
}

/** Overwrite's second half: the operation succeeded, now remove the previous holder — by its id, if still it. */
export async function removeReplaced(
  ctx: TransferContext,
  previous: Obj | undefined,
  result: Obj,
  dirId: string,
  opts: CallOptions,
): Promise<void> {
  if (!previous || previous.id === result.id) return
  ctx.forget(previous)
  await removeIfStillHolder(
    { captured: previous, parentId: dirId, name: previous.name },
    () => ctx.files.get(previous.id, opts),
    () => ctx.removeById(previous.id, `removing the overwritten "${previous.path}"`, opts),
    ctx.logger,
  )
}

/** The end of a move or copy: its background task done, the result as it now is, the replaced holder removed. */
export async function settleTransfer(
  ctx: TransferContext,
  res: { file_id: string; async_task_id?: string | null | undefined },
  dstDir: Obj,
  previous: Obj | undefined,
  what: string,
  opts: CallOptions,
): Promise<Obj> {
  await waitForAsyncTask(ctx.files, res.async_task_id, what, opts.signal)
  const result = toObj(await ctx.files.get(res.file_id, opts), dstDir.path, undefined, ctx.livpFormat)
  await removeReplaced(ctx, previous, result, dstDir.id, opts)
  ctx.remember(result)
  return result
}

/** What move and copy both require of the target: a folder outside the object. */
export function checkTransferTarget(obj: Obj, dstDir: Obj, action: 'move' | 'copy'): void {
  if (!dstDir.isFolder) throw new DriverError('NOT_FOLDER', `"${dstDir.path}" is a file; cannot ${action} into it`)
  if (dstDir.id === obj.id || isIntoItself(obj, dstDir.path)) {
    throw new DriverError('NOT_SUPPORTED', `cannot ${action} "${obj.path}" into itself ("${dstDir.path}")`)
  }
}

/**
 * A copy into the object's own folder: the source itself holds the name, so `refuse` refuses and `overwrite` is
 * refused too (it would "replace" the object with a copy of itself); only `rename` makes a second copy. Every
 * caller (the CLI's `cp`, the servers) relies on this refusal rather than checking first.
 */
export function refuseCopyOntoItself(obj: Obj, dstDir: Obj, mode: ConflictMode): void {
  if (parentPathOf(obj.path) !== dstDir.path || mode === 'rename') return
  const hint = 'a copy into its own folder needs conflict "rename" (a second copy alongside)'
  if (mode === 'refuse') throw alreadyExists(obj.path, hint)
  throw new DriverError('NOT_SUPPORTED', `cannot copy "${obj.path}" over itself: ${hint}`)
}
