/**
 * `mount_details` of the entries of a folder above several mounts: each mount root's disk usage from its driver's
 * `details()` (AliyunDrive `getSpaceInfo`), which OpenList's web UI draws as a usage bar (server/handles/fsread.go
 * `MountDetails`, `{total_space, used_space, free_space}`). A mount whose usage cannot be read just has none.
 */
import type { Obj } from '../../host/types.js'
import type { FsService } from '../fs-service.js'
import { MountTable } from '../mount-table.js'

export interface MountDetails {
  total_space: number
  used_space: number
  free_space: number
}

export async function mountDetailsOf(
  fs: FsService,
  entries: Obj[],
  refresh = false,
): Promise<Map<string, MountDetails>> {
  const out = new Map<string, MountDetails>()
  if (!(fs instanceof MountTable)) return out
  // Each mount's file service keeps its details for the row's cache_expiration (fs-service.ts), so listing the
  // folder above the mounts again asks getSpaceInfo nothing new; `refresh` asks again, as OpenList's list does.
  const services = new Map(fs.all.flatMap((m) => (m.fs ? [[m.path, m.fs] as const] : [])))
  await Promise.all(
    entries.map(async (entry) => {
      const service = entry.isFolder ? services.get(entry.path) : undefined
      if (!service) return
      try {
        const { totalSpace, usedSpace } = await service.details(refresh)
        out.set(entry.path, { total_space: totalSpace, used_space: usedSpace, free_space: totalSpace - usedSpace })
      } catch {
        // No usage bar for this mount; its listing entry stands.
      }
    }),
  )
  return out
}
