/**
 * What each conflict mode means, for every operation that can meet a name already taken (upload, rename, move,
 * copy); the driver and the upload engine both take it from here.
 * - 'refuse': nothing is done when the name is taken (checked by listing first; the server's `refuse` also catches a
 *   racing writer, answering exist: true).
 * - 'rename': the server picks a free name (`auto_rename`).
 * - 'overwrite': the operation runs with `ignore` (the service then allows same-name siblings), and the previous
 *   holders, captured by id before, are removed only after it succeeded — each read again first
 *   (src/conflict/replace-guard.ts). OpenList instead deletes "every other sibling with that name" afterwards.
 * A file never replaces a folder, nor a folder a file.
 */
import type { CheckNameMode } from '../api/files.js'
import type { WireFile } from '../api/wire.js'
import { DriverError } from '../errors/index.js'
import type { ConflictMode, Obj } from '../host/types.js'
import { fileName } from '../paths/to-obj.js'

export function checkNameModeFor(conflict: ConflictMode): CheckNameMode {
  return conflict === 'rename' ? 'auto_rename' : conflict === 'overwrite' ? 'ignore' : 'refuse'
}

export function alreadyExists(path: string, hint = 'use conflict "overwrite" or "rename"'): DriverError {
  return new DriverError('ALREADY_EXISTS', `"${path}" already exists (${hint})`, {
    apiCode: 'AlreadyExist.File',
  })
}

/**
 * The files holding `name` in the folder that an upload will replace, as they are now. Throws ALREADY_EXISTS for
 * 'refuse', and for a folder of that name under 'overwrite' (a file upload never deletes a folder).
 */
export function previousHolders(children: ReadonlyArray<WireFile>, name: string, conflict: ConflictMode): WireFile[] {
  if (conflict === 'rename') return []
  const holders = children.filter((f) => fileName(f) === name && !f.trashed)
  if (holders.length === 0) return []
  if (conflict === 'refuse') {
    throw new DriverError('ALREADY_EXISTS', `"${name}" already exists in the target folder; nothing was uploaded`)
  }
  if (holders.some((f) => f.type === 'folder')) {
    throw new DriverError(
      'ALREADY_EXISTS',
      `a folder named "${name}" exists in the target folder; an upload does not replace a folder`,
    )
  }
  return holders
}

/** The object other than `self` that holds `name` among `children`, refusing a folder for a file or vice versa. */
export function replaceableHolder(children: ReadonlyArray<Obj>, name: string, self: Obj): Obj | undefined {
  const holder = children.find((c) => c.name === name && c.id !== self.id)
  if (holder && holder.isFolder !== self.isFolder) {
    throw new DriverError(
      'ALREADY_EXISTS',
      `"${holder.path}" is a ${holder.isFolder ? 'folder' : 'file'}; it cannot be overwritten by a ${self.isFolder ? 'folder' : 'file'}`,
    )
  }
  return holder
}
