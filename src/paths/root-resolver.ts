/**
 * Per-drive-type root resolution (docs/api-notes.md §7, §3.1): drive id = getDriveInfo[`${drive_type}_drive_id`]. A drive type the
 * user did not grant at authorization has no id: we fail naming it, instead of silently mounting another drive
 * (OpenList mounts "" and MSN/OpenDAL fall back to the default drive: docs/peers-and-pains.md #4).
 */
import type { DriveInfo } from '../api/wire.js'
import type { DriverConfig } from '../config/schema.js'
import { DriverError } from '../errors/index.js'

export interface ResolvedDrive {
  driveId: string
  userId: string
  driveType: DriverConfig['drive_type']
  /** Every drive type this authorization can see, for messages and `details`. */
  available: Array<DriverConfig['drive_type']>
}

export function resolveDrive(info: DriveInfo, driveType: DriverConfig['drive_type']): ResolvedDrive {
  const ids: Record<DriverConfig['drive_type'], string | null | undefined> = {
    default: info.default_drive_id,
    resource: info.resource_drive_id,
    backup: info.backup_drive_id,
  }
  const available = (Object.keys(ids) as Array<DriverConfig['drive_type']>).filter((t) => ids[t])
  const driveId = ids[driveType]
  if (!driveId) {
    throw new DriverError(
      'FORBIDDEN',
      `drive_type "${driveType}" is not available to this authorization (AliyunDrive returned no ${driveType}_drive_id; ` +
        `available: ${available.join(', ') || 'none'}). Pick one of those, or re-authorize and tick the ${driveType} drive.`,
    )
  }
  return { driveId, userId: info.user_id, driveType, available }
}
