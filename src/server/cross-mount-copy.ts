/**
 * Copy between two storages: no server-side copy exists across drives or accounts. Each file's known SHA-1 goes
 * along, so the upload first tries rapid upload with 8 proof bytes read by one Range request (link-source.ts): when
 * the service holds the content (any drive, any account), no other byte moves. Otherwise the bytes stream through
 * this process from the download link into the upload, one part in memory at a time. Folders are recreated and
 * copied member by member.
 */
import { DriverError } from '../errors/index.js'
import type { ConflictMode, Obj } from '../host/types.js'
import type { DriveFsService } from './fs-service.js'
import { fromLink } from './link-source.js'
import { joinTo } from './safe-path.js'

export async function copyAcrossMounts(
  src: DriveFsService,
  obj: Obj,
  dst: DriveFsService,
  dstDir: Obj,
  conflict: ConflictMode,
): Promise<Obj> {
  if (!obj.isFolder) return copyFile(src, obj, dst, dstDir, conflict)
  const existing = await dst.tryStat(joinTo(dstDir.path, obj.name))
  if (existing && conflict === 'refuse')
    throw new DriverError('ALREADY_EXISTS', `"${obj.name}" already exists in the destination folder`)
  if (existing && !existing.isFolder) await dst.remove(existing)
  const folder = existing?.isFolder ? existing : await dst.mkdirStrict(dstDir, obj.name)
  for (const child of (await src.list(obj.path)).children) {
    await copyAcrossMounts(src, child, dst, folder, conflict === 'rename' ? 'rename' : 'overwrite')
  }
  return folder
}

async function copyFile(
  src: DriveFsService,
  file: Obj,
  dst: DriveFsService,
  dstDir: Obj,
  conflict: ConflictMode,
): Promise<Obj> {
  if (conflict === 'refuse' && (await dst.tryStat(joinTo(dstDir.path, file.name)))) {
    throw new DriverError('ALREADY_EXISTS', `"${file.name}" already exists in the destination folder`)
  }
  const source = fromLink(src, file)
  try {
    return await dst.upload(dstDir, source, { conflict: conflict === 'refuse' ? 'refuse' : conflict })
  } finally {
    await source.dispose?.()
  }
}
