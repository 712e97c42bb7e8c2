/**
 * Copy between two storages: no server-side copy exists across drives or accounts, so the bytes stream through this
 * process — each file's download link is fetched and piped into an upload (fromStream: one part in memory at a time,
 * so memory stays bounded whatever the file size). Folders are recreated and copied member by member. A known SHA-1
 * goes along, so rapid upload can skip the bytes when the target already has them.
 */
import { DriverError } from '../errors/index.js'
import type { ConflictMode, Obj } from '../host/types.js'
import { fromStream } from '../upload/index.js'
import type { DriveFsService } from './fs-service.js'
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
  const link = await src.link(file)
  const controller = new AbortController()
  let res: Response
  try {
    res = await fetch(link.url, { headers: link.headers ?? {}, signal: controller.signal })
  } catch (e) {
    throw new DriverError(
      'NETWORK',
      `copying "${file.path}" between storages: the download failed: ${(e as Error).message}`,
    )
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel()
    throw new DriverError(
      'UPSTREAM',
      `copying "${file.path}" between storages: the download answered HTTP ${res.status}`,
    )
  }
  const source = fromStream(res.body as unknown as AsyncIterable<Uint8Array>, {
    name: file.name,
    size: file.size,
    modified: file.modified,
    created: file.created,
    ...(file.hashes.sha1 ? { sha1: file.hashes.sha1 } : {}),
  })
  try {
    return await dst.upload(dstDir, source, { conflict: conflict === 'refuse' ? 'refuse' : conflict })
  } finally {
    controller.abort()
  }
}
