/**
 * The last step of every overwrite (upload, rename, move, copy) removes the object that held the target name. It was
 * captured by id before the operation, which may have taken minutes (an upload's parts): meanwhile the user may have
 * moved it aside ("a.txt" → "a.bak", to keep the old version), renamed it, or another client may have replaced its
 * content. Removing by the captured id then deletes what is no longer the thing being replaced — for good with
 * remove_way "delete". So it is read again by id just before, and removed only if it still holds the target name in
 * the target folder and, for a file, still has the captured content; otherwise it is left, with one warning.
 */
import { isDriverError } from '../errors/index.js'
import type { Logger, Obj } from '../host/types.js'
import { fileName, toObj } from '../paths/to-obj.js'
import type { WireFile } from '../api/wire.js'

export interface ReplacedHolder {
  /** The object as captured before the operation. */
  captured: Obj
  /** Where it held the name: the target folder's id and the target name. */
  parentId: string
  name: string
}

/** Why `now` (the holder read again) is no longer the object that was to be replaced, or undefined if it still is. */
export function whyNotReplaceable(holder: ReplacedHolder, now: WireFile | undefined): string | undefined {
  if (!now) return 'it no longer exists'
  if (now.trashed) return 'it is in the recycle bin'
  if ((now.parent_file_id ?? '') !== holder.parentId) return 'it was moved out of the target folder'
  const name = fileName(now)
  if (name !== holder.name) return `it was renamed to "${name}"`
  const current = toObj(now, '/')
  const captured = holder.captured
  if (current.isFolder !== captured.isFolder) return `it is now a ${current.isFolder ? 'folder' : 'file'}`
  if (current.isFolder) return undefined
  if (current.size !== captured.size) return 'its content changed (size)'
  if (current.hashes.sha1 && captured.hashes.sha1)
    return current.hashes.sha1 === captured.hashes.sha1 ? undefined : 'its content changed (SHA-1)'
  // Without a hash, the update time tells; without either, nothing does, and unverified means not removed.
  if (!now.updated_at || Number.isNaN(Date.parse(now.updated_at)))
    return 'it cannot be verified (no content hash, no update time)'
  return Date.parse(now.updated_at) === captured.modified.getTime() ? undefined : 'it was modified'
}

/**
 * Reads the holder again (`read` answers NOT_FOUND for a vanished id) and removes it only if it still is the one to
 * replace. Returns whether it was removed. Errors of `read` and `remove` propagate to the caller.
 */
export async function removeIfStillHolder(
  holder: ReplacedHolder,
  read: () => Promise<WireFile>,
  remove: () => Promise<void>,
  logger: Logger | undefined,
): Promise<boolean> {
  let now: WireFile | undefined
  try {
    now = await read()
  } catch (e) {
    if (!(isDriverError(e) && e.code === 'NOT_FOUND')) throw e
  }
  const why = whyNotReplaceable(holder, now)
  if (why) {
    logger?.warn(
      `left "${holder.captured.name}" (${holder.captured.id}) in place ` +
        `instead of removing it as the replaced "${holder.name}": ${why} since the overwrite began`,
    )
    return false
  }
  await remove()
  return true
}
