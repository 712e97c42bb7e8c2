/**
 * What the upload engine needs of AliyunDrive, and nothing more: the upload endpoints, reading and deleting its own
 * reservation, and, for an overwrite, the folder's children and the removal of a replaced file. The driver builds it
 * over its session (`apiUploadPort`); tests may build it over a stub. The engine never sees the API client.
 */
import type { FilesApi } from '../api/files.js'
import {
  completeFile,
  createFile,
  deleteFileByRef,
  getFileByRef,
  getUploadUrls,
  listUploadedParts,
  type FileRef,
  type UploadIds,
  type UploadedPartsPage,
} from '../api/uploads.js'
import type { CreateResponse, WireFile, WirePartInfo } from '../api/wire.js'
import type { ApiClient, Body, CallOptions } from '../http/api-client.js'

export type { FileRef, UploadIds, UploadedPartsPage }

export interface UploadPort {
  /** The drive uploads go to. */
  readonly driveId: string
  create(body: Body, opts?: CallOptions): Promise<CreateResponse>
  partUrls(ids: UploadIds, partNumbers: number[], opts?: CallOptions): Promise<WirePartInfo[]>
  uploadedParts(ids: UploadIds, marker: string, opts?: CallOptions): Promise<UploadedPartsPage>
  complete(ids: UploadIds, opts?: CallOptions): Promise<WireFile>
  /** One object as it is now (NOT_FOUND if gone). */
  getById(ref: FileRef, opts?: CallOptions): Promise<WireFile>
  /** Deletes an upload's own reservation for good (never the recycle bin: it is not user data). */
  discard(ref: FileRef, opts?: CallOptions): Promise<void>
  /** All children of a folder of this drive, for finding the previous holder of the name. */
  listChildren(parentId: string, opts?: CallOptions): Promise<WireFile[]>
  /** Removes a replaced file by id, per the user's remove_way (trash or delete). */
  removeById(fileId: string, opts?: CallOptions): Promise<void>
}

export interface ApiUploadPortOptions {
  api: ApiClient
  files: FilesApi
  /** The listing order sent with `openFile/list` (the config's order_by / order_direction). */
  listOrder: { order_by: string; order_direction: string }
  removeById: (fileId: string, opts?: CallOptions) => Promise<void>
}

/** The port over the API: every call is a typed function of `api/`. A plain object, so a test can override one call. */
export function apiUploadPort({ api, files, listOrder, removeById }: ApiUploadPortOptions): UploadPort {
  return {
    driveId: files.driveId,
    create: (body, opts) => createFile(api, body, opts),
    partUrls: (ids, partNumbers, opts) => getUploadUrls(api, ids, partNumbers, opts),
    uploadedParts: (ids, marker, opts) => listUploadedParts(api, ids, marker, opts),
    complete: (ids, opts) => completeFile(api, ids, opts),
    getById: (ref, opts) => getFileByRef(api, ref, opts),
    discard: (ref, opts) => deleteFileByRef(api, ref, opts),
    listChildren: (parentId, opts) => files.listAll(parentId, listOrder, opts),
    removeById,
  }
}
