/**
 * The driver's single-call operations whose answer needs shaping: the root object, creating a folder (mkdir -p
 * semantics), the video preview and the space figures. Kept out of the facade so it stays a list of operations.
 */
import type { FilesApi } from '../api/files.js'
import { DriverError } from '../errors/index.js'
import type { CallOptions, Obj, StorageDetails } from '../host/types.js'
import { fileName, toObj } from '../paths/to-obj.js'

/** The mount root as an Obj: its id is `root_folder_id`; it has no size or times of its own. */
export function rootObj(rootFolderId: string): Obj {
  const epoch = new Date(0)
  return {
    id: rootFolderId,
    path: '/',
    name: 'root',
    size: 0,
    isFolder: true,
    modified: epoch,
    created: epoch,
    hashes: {},
  }
}

/** Creates `name` in `parent`, or returns the folder already holding the name; a file there is ALREADY_EXISTS. */
export async function createFolder(files: FilesApi, parent: Obj, name: string, opts: CallOptions): Promise<Obj> {
  if (!parent.isFolder)
    throw new DriverError('NOT_FOLDER', `"${parent.path}" is a file; cannot create "${name}" inside it`)
  const res = await files.createFolder(parent.id, name, opts)
  if (!res.exist) {
    // create answers null timestamps (docs/api-notes.md §3.7): the folder was made now.
    return toObj({ ...res, type: 'folder', name: fileName(res, name) }, parent.path)
  }
  // `refuse` hands back whatever holds the name; that may be a file (docs/api-notes.md §3.7).
  const obj = toObj(await files.get(res.file_id, opts), parent.path)
  if (!obj.isFolder) throw new DriverError('ALREADY_EXISTS', `"${obj.path}" exists and is a file, not a folder`)
  return obj
}

/** `other(method)`: only `video_preview`, AliyunDrive's transcoded play info for a video file. */
export function videoPreview(files: FilesApi, method: string, obj: Obj, opts: CallOptions): Promise<unknown> {
  if (method !== 'video_preview')
    throw new DriverError('NOT_SUPPORTED', `other method "${method}" is not supported (supported: video_preview)`)
  if (obj.isFolder) throw new DriverError('NOT_FILE', `"${obj.path}" is a folder; video preview needs a video file`)
  return files.videoPreview(obj.id, opts)
}

export async function spaceDetails(files: FilesApi, opts: CallOptions): Promise<StorageDetails> {
  const res = await files.spaceInfo(opts)
  return { totalSpace: res.personal_space_info.total_size, usedSpace: res.personal_space_info.used_size }
}
