/**
 * The upload endpoints (`openFile/create` for a file, `getUploadUrl`, `listUploadedParts`, `complete`) as typed
 * functions, and by-reference `get`/`delete` for an upload's own reservation, which names its drive itself (a
 * resumed upload's record carries the drive id it was made on).
 */
import type { ApiClient, Body, CallOptions } from '../http/api-client.js'
import { ENDPOINTS } from './endpoints.js'
import {
  createResponseSchema,
  removeResponseSchema,
  uploadUrlResponseSchema,
  uploadedPartsResponseSchema,
  wireFileSchema,
  type CreateResponse,
  type WireFile,
  type WirePartInfo,
} from './wire.js'

/** One object of one drive. */
export interface FileRef {
  driveId: string
  fileId: string
}

/** One upload session: the reservation's ids and its `upload_id`. */
export interface UploadIds extends FileRef {
  uploadId: string
}

export interface UploadedPartsPage {
  partNumbers: number[]
  /** Empty on the last page. */
  nextMarker: string
}

/**
 * `openFile/create` for a file. Not idempotent (a repeat could reserve a second file), so the API client never
 * repeats it after an unknown outcome. `body` may be a function of the access token (rapid upload's proof).
 */
export function createFile(api: ApiClient, body: Body, opts?: CallOptions): Promise<CreateResponse> {
  return api.call(ENDPOINTS.createFile, body, createResponseSchema, opts)
}

/** Signed part URLs for `partNumbers` (`openFile/getUploadUrl`). */
export async function getUploadUrls(
  api: ApiClient,
  ids: UploadIds,
  partNumbers: number[],
  opts?: CallOptions,
): Promise<WirePartInfo[]> {
  const res = await api.call(
    ENDPOINTS.getUploadUrl,
    {
      drive_id: ids.driveId,
      file_id: ids.fileId,
      upload_id: ids.uploadId,
      part_info_list: partNumbers.map((n) => ({ part_number: n })),
    },
    uploadUrlResponseSchema,
    opts,
  )
  return res.part_info_list
}

/** One page of the parts the service has stored (`openFile/listUploadedParts`). */
export async function listUploadedParts(
  api: ApiClient,
  ids: UploadIds,
  marker: string,
  opts?: CallOptions,
): Promise<UploadedPartsPage> {
  const res = await api.call(
    ENDPOINTS.listUploadedParts,
    // The first page has no marker: omitted rather than sent empty, as tickstep/aliyunpan-api does.
    {
      drive_id: ids.driveId,
      file_id: ids.fileId,
      upload_id: ids.uploadId,
      ...(marker ? { part_number_marker: marker } : {}),
    },
    uploadedPartsResponseSchema,
    opts,
  )
  return {
    partNumbers: (res.uploaded_parts ?? []).map((p) => p.part_number),
    nextMarker: res.next_part_number_marker ?? '',
  }
}

/** `openFile/complete`: the reservation becomes the file. */
export function completeFile(api: ApiClient, ids: UploadIds, opts?: CallOptions): Promise<WireFile> {
  return api.call(
    ENDPOINTS.complete,
    { drive_id: ids.driveId, file_id: ids.fileId, upload_id: ids.uploadId },
    wireFileSchema,
    opts,
  )
}

/** `openFile/get` of one object of a named drive. */
export function getFileByRef(api: ApiClient, ref: FileRef, opts?: CallOptions): Promise<WireFile> {
  return api.call(ENDPOINTS.get, { drive_id: ref.driveId, file_id: ref.fileId }, wireFileSchema, opts)
}

/** `openFile/delete` (for good, not to the recycle bin) of one object of a named drive. */
export async function deleteFileByRef(api: ApiClient, ref: FileRef, opts?: CallOptions): Promise<void> {
  await api.call(ENDPOINTS.delete, { drive_id: ref.driveId, file_id: ref.fileId }, removeResponseSchema, opts)
}
