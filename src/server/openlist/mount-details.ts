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

export async function mountDetailsOf(fs: FsService, entries: Obj[]): Promise<Map<string, MountDetails>> {
  const out = new Map<string, MountDetails>()
  if (!(fs instanceof MountTable)) return out
  const drivers = new Map(fs.all.flatMap((m) => (m.fs ? [[m.path, m.fs.driver] as const] : [])))
  await Promise.all(
    entries.map(async (entry) => {
      const driver = entry.isFolder ? drivers.get(entry.path) : undefined
      if (!driver) return
      try {
        const { totalSpace, usedSpace } = await driver.details()
        out.set(entry.path, { total_space: totalSpace, used_space: usedSpace, free_space: totalSpace - usedSpace })
      } catch {
        // No usage bar for this mount; its listing entry stands.
      }
    }),
  )
  return out
}
