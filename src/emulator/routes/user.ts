/** `user/getDriveInfo` (docs/api-notes.md §3.1) and `user/getSpaceInfo` (docs/api-notes.md §3.2); both accept an empty body. */
import { ApiError } from '../api-error.js'
import type { ApiRoute } from './route.js'

export const userRoutes: ApiRoute[] = [
  {
    path: '/adrive/v1.0/user/getDriveInfo',
    cls: 'other',
    handle({ state, auth }) {
      const user = state.users.get(auth.userId)
      if (!user) throw new ApiError(403, 'PermissionDenied', 'The user no longer exists.')
      const out: Record<string, unknown> = {
        user_id: user.userId,
        name: user.name,
        avatar: '',
        nick_name: user.name,
        default_drive_id: user.drives.get('default')?.driveId,
      }
      // resource/backup ids are only present when granted (docs/api-notes.md §3.1).
      const resource = user.drives.get('resource')
      const backup = user.drives.get('backup')
      if (resource) out.resource_drive_id = resource.driveId
      if (backup) out.backup_drive_id = backup.driveId
      return out
    },
  },
  {
    path: '/adrive/v1.0/user/getSpaceInfo',
    cls: 'other',
    handle({ state, auth }) {
      const user = state.users.get(auth.userId)
      return {
        personal_space_info: { used_size: state.usedSpace(auth.userId), total_size: user?.totalSpace ?? 0 },
      }
    },
  },
]
