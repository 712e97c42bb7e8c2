/**
 * One typed function per AliyunDrive endpoint the driver core uses (docs/api-notes.md §3), with the exact body the API expects.
 * No policy here (no conflicts, no caching): that lives in the driver.
 */
import { z } from 'zod'
import type { Logger } from '../host/types.js'
import type { ApiClient, CallOptions } from '../http/api-client.js'
import { ENDPOINTS } from './endpoints.js'
import {
  asyncTaskSchema,
  createResponseSchema,
  downloadUrlSchema,
  driveInfoSchema,
  listResponseSchema,
  moveCopyResponseSchema,
  removeResponseSchema,
  spaceInfoSchema,
  wireFileSchema,
  type WireFile,
} from './wire.js'

/** Maximum page size accepted by the server (docs/api-notes.md §3.3, §12.1: OpenList and MSN send 200). */
export const LIST_PAGE_LIMIT = 200

export type CheckNameMode = 'refuse' | 'ignore' | 'auto_rename'

/** The user's drives (`user/getDriveInfo`): the one call made before a drive id is known. */
export function getDriveInfo(api: ApiClient, opts?: CallOptions) {
  return api.call(ENDPOINTS.driveInfo, {}, driveInfoSchema, opts)
}

/** The calls on one drive: built once its id is known (driver/drive-session.ts), so none can go out without it. */
export class FilesApi {
  constructor(
    private readonly api: ApiClient,
    readonly driveId: string,
    private readonly logger?: Logger,
  ) {}

  spaceInfo(opts?: CallOptions) {
    return this.api.call(ENDPOINTS.spaceInfo, {}, spaceInfoSchema, opts)
  }

  /** Every child of `parentId`, following `next_marker` until it is empty. */
  async listAll(
    parentId: string,
    order: { order_by: string; order_direction: string },
    opts?: CallOptions,
  ): Promise<WireFile[]> {
    const items: WireFile[] = []
    let marker = ''
    for (let page = 0; ; page++) {
      const body: Record<string, unknown> = {
        drive_id: this.driveId,
        parent_file_id: parentId,
        limit: LIST_PAGE_LIMIT,
        marker,
      }
      if (order.order_by) body.order_by = order.order_by
      if (order.order_direction) body.order_direction = order.order_direction
      const res = await this.api.call(ENDPOINTS.list, body, listResponseSchema, opts)
      items.push(...res.items)
      // One odd item must not make a folder unlistable (OpenList's Go decoding does not fail on it either).
      for (const what of res.skipped) this.logger?.warn(`openFile/list of folder ${parentId}: skipped ${what}`)
      const next = res.next_marker ?? ''
      // A server that repeats a marker would loop forever: treat it as the end, loudly.
      if (!next || next === marker) break
      marker = next
    }
    return items
  }

  /** One page of `openFile/search` (docs/api-notes.md §3.19): `query` in AliyunDrive's query language. */
  search(query: string, marker: string, limit: number, opts?: CallOptions) {
    return this.api.call(ENDPOINTS.search, { drive_id: this.driveId, query, marker, limit }, listResponseSchema, opts)
  }

  get(fileId: string, opts?: CallOptions) {
    return this.api.call(ENDPOINTS.get, { drive_id: this.driveId, file_id: fileId }, wireFileSchema, opts)
  }

  getByPath(filePath: string, opts?: CallOptions) {
    return this.api.call(ENDPOINTS.getByPath, { drive_id: this.driveId, file_path: filePath }, wireFileSchema, opts)
  }

  createFolder(parentId: string, name: string, opts?: CallOptions) {
    return this.api.call(
      ENDPOINTS.createFolder,
      { drive_id: this.driveId, parent_file_id: parentId, name, type: 'folder', check_name_mode: 'refuse' },
      createResponseSchema,
      opts,
    )
  }

  rename(fileId: string, name: string, mode: CheckNameMode, opts?: CallOptions) {
    return this.api.call(
      ENDPOINTS.update,
      { drive_id: this.driveId, file_id: fileId, name, check_name_mode: mode },
      wireFileSchema,
      opts,
    )
  }

  move(fileId: string, toParentId: string, mode: CheckNameMode, opts?: CallOptions) {
    return this.api.call(
      ENDPOINTS.move,
      { drive_id: this.driveId, file_id: fileId, to_parent_file_id: toParentId, check_name_mode: mode },
      moveCopyResponseSchema,
      opts,
    )
  }

  copy(fileId: string, toParentId: string, autoRename: boolean, opts?: CallOptions) {
    return this.api.call(
      ENDPOINTS.copy,
      { drive_id: this.driveId, file_id: fileId, to_parent_file_id: toParentId, auto_rename: autoRename },
      moveCopyResponseSchema,
      opts,
    )
  }

  trash(fileId: string, opts?: CallOptions) {
    return this.api.call(ENDPOINTS.trash, { drive_id: this.driveId, file_id: fileId }, removeResponseSchema, opts)
  }

  delete(fileId: string, opts?: CallOptions) {
    return this.api.call(ENDPOINTS.delete, { drive_id: this.driveId, file_id: fileId }, removeResponseSchema, opts)
  }

  asyncTask(taskId: string, opts?: CallOptions) {
    return this.api.call(ENDPOINTS.asyncTask, { async_task_id: taskId }, asyncTaskSchema, opts)
  }

  /** `expire_sec: 14400` as OpenList asks; the server may clamp it, so callers read the real expiry (docs/api-notes.md §3.11). */
  downloadUrl(fileId: string, opts?: CallOptions) {
    return this.api.call(
      ENDPOINTS.downloadUrl,
      { drive_id: this.driveId, file_id: fileId, expire_sec: 14_400 },
      downloadUrlSchema,
      opts,
    )
  }

  videoPreview(fileId: string, opts?: CallOptions) {
    return this.api.call(
      ENDPOINTS.videoPreview,
      { drive_id: this.driveId, file_id: fileId, category: 'live_transcoding', url_expire_sec: 14_400 },
      z.looseObject({}),
      opts,
    )
  }
}
