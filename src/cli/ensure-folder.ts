/**
 * `put` into a folder that does not exist creates it and its missing parents, as `rclone copy` does: a user
 * uploading to /backup/2025 means that folder, not an error telling them to mkdir first.
 */
import { isDriverError } from '../errors/index.js'
import type { Obj, StorageDriver } from '../host/types.js'
import { joinPath, normalizePath, splitPath } from '../paths/mount-path.js'

export async function ensureFolder(d: StorageDriver, path: string, say: (message: string) => void): Promise<Obj> {
  const wanted = normalizePath(path)
  try {
    return await d.get(wanted)
  } catch (e) {
    if (!(isDriverError(e) && e.code === 'NOT_FOUND')) throw e
  }
  let current = d.getRoot()
  for (const name of splitPath(wanted)) {
    const next = joinPath(current.path, name)
    try {
      current = await d.get(next)
    } catch (e) {
      if (!(isDriverError(e) && e.code === 'NOT_FOUND')) throw e
      // makeDir refuses a taken name and hands back an existing folder, so a concurrent creator is harmless.
      current = await d.makeDir(current, name)
      say(`created folder ${current.path}`)
    }
  }
  return current
}
