/**
 * Every AliyunDrive endpoint the driver calls, as data: path, rate-limit class (docs/api-notes.md §5.1) and whether repeating it
 * after an unknown outcome (5xx, dropped connection) is safe. Non-idempotent calls are never repeated after an
 * unknown outcome, since a repeat could duplicate data (docs/contract.md §4); a 429 is always safe to repeat (nothing was done).
 */
import type { Endpoint } from '../http/endpoint.js'

export type { Endpoint }

const other = (path: string, idempotent = true): Endpoint => ({ path, cls: 'other', idempotent })

export const ENDPOINTS = {
  driveInfo: other('/adrive/v1.0/user/getDriveInfo'),
  spaceInfo: other('/adrive/v1.0/user/getSpaceInfo'),
  list: { path: '/adrive/v1.0/openFile/list', cls: 'list', idempotent: true } satisfies Endpoint,
  get: other('/adrive/v1.0/openFile/get'),
  getByPath: other('/adrive/v1.0/openFile/get_by_path'),
  /** A folder create with check_name_mode 'refuse' is idempotent; a file create with 'ignore' is not. */
  createFolder: other('/adrive/v1.0/openFile/create'),
  createFile: other('/adrive/v1.0/openFile/create', false),
  getUploadUrl: other('/adrive/v1.0/openFile/getUploadUrl'),
  listUploadedParts: other('/adrive/v1.0/openFile/listUploadedParts'),
  complete: other('/adrive/v1.0/openFile/complete'),
  downloadUrl: { path: '/adrive/v1.0/openFile/getDownloadUrl', cls: 'link', idempotent: true } satisfies Endpoint,
  videoPreview: other('/adrive/v1.0/openFile/getVideoPreviewPlayInfo'),
  update: other('/adrive/v1.0/openFile/update'),
  move: other('/adrive/v1.0/openFile/move'),
  copy: other('/adrive/v1.0/openFile/copy', false),
  trash: {
    ...other('/adrive/v1.0/openFile/recyclebin/trash'),
    doneOnRepeat: new Set(['ForbiddenFileInTheRecycleBin', 'NotFound.File', 'NotFound.FileId']),
  },
  delete: { ...other('/adrive/v1.0/openFile/delete'), doneOnRepeat: new Set(['NotFound.File', 'NotFound.FileId']) },
  asyncTask: other('/adrive/v1.0/openFile/async_task/get'),
  search: other('/adrive/v1.0/openFile/search'),
} as const
