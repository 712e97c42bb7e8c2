/**
 * `update` (rename) is sent with check_name_mode "refuse"; what the real service answers when the name is taken is
 * not documented: an error, an `exist` answer describing the holder (as `create` does), or the file unchanged.
 * Whatever it is, an answer that does not show OUR file under the new name is never reported as a rename.
 */
import type { WireFile } from '../api/wire.js'
import { DriverError } from '../errors/index.js'
import type { ConflictMode, Obj } from '../host/types.js'
import { fileName } from '../paths/to-obj.js'

export function checkRenamed(wire: WireFile, obj: Obj, newName: string, mode: ConflictMode): void {
  const name = fileName(wire)
  const applied = wire.file_id === obj.id && (mode === 'rename' ? name !== '' && name !== obj.name : name === newName)
  if (applied) return
  const target = `${obj.path.slice(0, obj.path.length - obj.name.length)}${newName}`
  if (wire.file_id !== obj.id || (wire as { exist?: unknown }).exist === true || name === obj.name) {
    throw new DriverError(
      'ALREADY_EXISTS',
      `"${target}" already exists; "${obj.path}" was not renamed (use conflict "overwrite" or "rename")`,
      { apiCode: 'AlreadyExist.File' },
    )
  }
  throw new DriverError(
    'UPSTREAM',
    `openFile/update was asked to rename "${obj.path}" to "${newName}" but answered the name "${name}"; the rename is not reported as done`,
  )
}
