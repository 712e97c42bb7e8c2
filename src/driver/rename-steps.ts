/**
 * Rename through `openFile/update`. Whether `update` honours `check_name_mode` is an open question (docs/api-notes.md
 * §12.5; one client's sources default it to `ignore`), so the target name is looked up first, as OpenList's own
 * rename handler does, and a taken name is refused before anything is sent. The answer is still read back
 * (rename-check.ts): a writer racing the lookup is caught where the service does honour the mode.
 */
import { alreadyExists, checkNameModeFor } from '../conflict/policy.js'
import type { CallOptions, ConflictMode, Obj } from '../host/types.js'
import { toObj } from '../paths/to-obj.js'
import { checkRenamed } from './rename-check.js'
import { holderOf, removeReplaced, type TransferContext } from './transfer-steps.js'

export async function renameInFolder(
  ctx: TransferContext,
  dir: Obj,
  obj: Obj,
  newName: string,
  mode: ConflictMode,
  opts: CallOptions,
): Promise<Obj> {
  const holder = mode === 'rename' ? undefined : await holderOf(ctx, dir, newName, obj, opts)
  if (holder && mode === 'refuse') throw alreadyExists(holder.path)
  const wire = await ctx.files.rename(obj.id, newName, checkNameModeFor(mode), opts)
  ctx.forget(obj)
  checkRenamed(wire, obj, newName, mode)
  const renamed = toObj(wire, dir.path, undefined, ctx.livpFormat)
  await removeReplaced(ctx, holder, renamed, dir.id, opts)
  ctx.remember(renamed)
  return renamed
}
