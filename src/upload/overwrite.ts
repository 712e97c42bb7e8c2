/**
 * Name conflicts for uploads (contract §2). The service allows same-name siblings with check_name_mode 'ignore', which
 * is how OpenList ends up with duplicates and deletes "every other sibling with that name" afterwards (peers-and-pains
 * #9, spec §9.4–9.5). Here the previous holders are captured by id *before* any byte is sent, and only those ids are
 * removed, only after the new file is complete and verified.
 */
import type { WireFile } from '../api/wire.js'
import { DriverError } from '../errors/index.js'
import type { ConflictMode } from '../host/types.js'
import type { CheckNameMode } from './create-upload.js'

export function checkNameModeFor(conflict: ConflictMode): CheckNameMode {
  // 'refuse' is checked by listing first; the server's 'refuse' also catches a racing writer (it answers exist:true).
  return conflict === 'rename' ? 'auto_rename' : conflict === 'refuse' ? 'refuse' : 'ignore'
}

export function nameOf(file: WireFile): string {
  return file.name || file.file_name || ''
}

/**
 * The files holding `name` in the folder that an overwrite will replace, as they are now (each is read again before
 * its removal: src/api/replace-guard.ts). Throws ALREADY_EXISTS for 'refuse', and for a folder of that name under
 * 'overwrite' (a file upload never deletes a folder).
 */
export function previousHolders(children: ReadonlyArray<WireFile>, name: string, conflict: ConflictMode): WireFile[] {
  if (conflict === 'rename') return []
  const holders = children.filter((f) => nameOf(f) === name && !f.trashed)
  if (holders.length === 0) return []
  if (conflict === 'refuse') {
    throw new DriverError('ALREADY_EXISTS', `"${name}" already exists in the target folder; nothing was uploaded`)
  }
  if (holders.some((f) => f.type === 'folder')) {
    throw new DriverError('ALREADY_EXISTS', `a folder named "${name}" exists in the target folder; an upload does not replace a folder`)
  }
  return holders
}
