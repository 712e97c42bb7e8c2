/**
 * Wire shapes of the AliyunDrive Open API (spec §3), snake_case as sent. Responses are parsed with loose zod objects:
 * unknown fields pass through so new server fields never break us, and the fields we rely on are checked, so a
 * malformed answer becomes an UPSTREAM error instead of an undefined deep inside the driver.
 */
import { z } from 'zod'

const nullableString = z.string().nullish()

export const wireFileSchema = z.looseObject({
  drive_id: z.string(),
  file_id: z.string(),
  parent_file_id: nullableString,
  name: nullableString,
  /** create responses carry the (possibly auto-renamed) name here and null in `name` (spec §3.7). */
  file_name: nullableString,
  size: z.number().nullish(),
  type: z.enum(['file', 'folder']),
  file_extension: nullableString,
  content_hash: nullableString,
  content_hash_name: nullableString,
  category: nullableString,
  thumbnail: nullableString,
  url: nullableString,
  created_at: nullableString,
  updated_at: nullableString,
  local_created_at: nullableString,
  local_modified_at: nullableString,
  trashed: z.boolean().nullish(),
})
export type WireFile = z.infer<typeof wireFileSchema>

export const driveInfoSchema = z.looseObject({
  user_id: z.string().min(1),
  name: nullableString,
  avatar: nullableString,
  default_drive_id: z.string().min(1),
  resource_drive_id: nullableString,
  backup_drive_id: nullableString,
})
export type DriveInfo = z.infer<typeof driveInfoSchema>

export const spaceInfoSchema = z.looseObject({
  personal_space_info: z.looseObject({ used_size: z.number(), total_size: z.number() }),
})

export const listResponseSchema = z.looseObject({
  items: z.array(wireFileSchema),
  next_marker: z.string().nullish(),
})

export const partInfoSchema = z.looseObject({
  part_number: z.number().int(),
  upload_url: nullableString,
  part_size: z.number().nullish(),
  etag: nullableString,
})
export type WirePartInfo = z.infer<typeof partInfoSchema>

export const createResponseSchema = z.looseObject({
  drive_id: z.string(),
  file_id: z.string(),
  parent_file_id: nullableString,
  file_name: nullableString,
  name: nullableString,
  type: z.enum(['file', 'folder']).nullish(),
  upload_id: nullableString,
  rapid_upload: z.boolean().nullish(),
  exist: z.boolean().nullish(),
  part_info_list: z.array(partInfoSchema).nullish(),
})
export type CreateResponse = z.infer<typeof createResponseSchema>

export const uploadUrlResponseSchema = z.looseObject({
  file_id: nullableString,
  upload_id: nullableString,
  part_info_list: z.array(partInfoSchema),
})

export const uploadedPartsResponseSchema = z.looseObject({
  upload_id: nullableString,
  uploaded_parts: z.array(z.looseObject({ part_number: z.number().int(), part_size: z.number().nullish(), etag: nullableString })).nullish(),
  next_part_number_marker: nullableString,
})

export const downloadUrlSchema = z.looseObject({
  url: nullableString,
  expiration: nullableString,
  method: nullableString,
  size: z.number().nullish(),
  /** camelCase on the wire (spec §3.11); for .livp: { jpeg, mov } */
  streamsUrl: z.record(z.string(), z.string()).nullish(),
})
export type DownloadUrl = z.infer<typeof downloadUrlSchema>

export const moveCopyResponseSchema = z.looseObject({
  drive_id: nullableString,
  file_id: z.string(),
  exist: z.boolean().nullish(),
  async_task_id: nullableString,
})

export const removeResponseSchema = z.looseObject({
  file_id: nullableString,
  async_task_id: nullableString,
})

export const asyncTaskSchema = z.looseObject({
  async_task_id: nullableString,
  state: z.string(),
})

export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().nullish(),
  token_type: nullableString,
})
export type TokenResponse = z.infer<typeof tokenResponseSchema>
