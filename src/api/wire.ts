/**
 * Wire shapes of the AliyunDrive Open API, snake_case as sent, parsed the way OpenList's Go structs parse them:
 * unknown fields pass through, fields the driver does not rely on never fail an answer (src/util/lenient.ts), and
 * only what the driver uses is checked (ids, names, types, sizes, hashes, times; tokens), so a malformed answer
 * is an UPSTREAM error instead of an undefined deep inside the driver. A listing item that lacks a required field
 * is skipped with a warning naming it; the listing itself stands.
 */
import { z } from 'zod'
import { idString, optBool, optNumber, optString, optStringMap, reqNumber } from '../util/lenient.js'

const nullableString = optString

export const wireFileSchema = z.looseObject({
  drive_id: optString,
  file_id: idString,
  parent_file_id: nullableString,
  name: nullableString,
  /** create responses carry the (possibly auto-renamed) name here and null in `name` (docs/api-notes.md §3.7). */
  file_name: nullableString,
  size: optNumber,
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
  trashed: optBool,
  /** `.livp` only: each stream's size, `{jpeg: {size}, mov: {size}}` (docs/api-notes.md §8, §13.1). */
  streams_info: z
    .unknown()
    .transform((v): Record<string, number> | undefined => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined
      const sizes: Record<string, number> = {}
      for (const [stream, info] of Object.entries(v)) {
        const size = optNumber.safeParse((info as { size?: unknown } | null)?.size).data
        if (size !== undefined && size >= 0) sizes[stream] = size
      }
      return sizes
    })
    .optional(),
})
export type WireFile = z.infer<typeof wireFileSchema>

/**
 * The name an answer gives a file: `name`, else `file_name` (create answers carry the possibly auto-renamed name there
 * and null in `name`, docs/api-notes.md §3.7; OpenList falls back the same way), else `requested`, the name the caller
 * asked for where it has one, else ''. The one place this fallback is written.
 */
export function fileName(wire: Pick<WireFile, 'name' | 'file_name'>, requested = ''): string {
  return wire.name || wire.file_name || requested
}

export const driveInfoSchema = z.looseObject({
  user_id: idString,
  name: nullableString,
  avatar: nullableString,
  default_drive_id: idString,
  resource_drive_id: nullableString,
  backup_drive_id: nullableString,
})
export type DriveInfo = z.infer<typeof driveInfoSchema>

export const spaceInfoSchema = z.looseObject({
  personal_space_info: z.looseObject({ used_size: reqNumber, total_size: reqNumber }),
})

/** `skipped` names every item that could not be read (missing id, name or type), for a warning. */
export const listResponseSchema = z
  .looseObject({
    items: z.array(z.unknown()).nullable(),
    next_marker: optString,
  })
  .transform(({ items, ...rest }) => {
    const good: WireFile[] = []
    const skipped: string[] = []
    for (const item of items ?? []) {
      const parsed = wireFileSchema.safeParse(item)
      if (parsed.success && fileName(parsed.data) !== '') good.push(parsed.data)
      else
        skipped.push(
          describeItem(item, parsed.success ? ['name'] : parsed.error.issues.map((i) => i.path.join('.') || '(item)')),
        )
    }
    return { ...rest, items: good, skipped }
  })

function describeItem(item: unknown, fields: string[]): string {
  const obj = item !== null && typeof item === 'object' ? (item as Record<string, unknown>) : {}
  const label = [
    typeof obj.file_id === 'string' ? `file_id ${obj.file_id}` : '',
    typeof obj.name === 'string' ? `"${obj.name}"` : '',
  ]
    .filter(Boolean)
    .join(' ')
  return `${label || 'an item'} (missing or unreadable: ${[...new Set(fields)].join(', ')})`
}

export const partInfoSchema = z.looseObject({
  part_number: reqNumber,
  upload_url: nullableString,
  part_size: optNumber,
  etag: nullableString,
})
export type WirePartInfo = z.infer<typeof partInfoSchema>

export const createResponseSchema = z.looseObject({
  drive_id: optString,
  file_id: idString,
  parent_file_id: nullableString,
  file_name: nullableString,
  name: nullableString,
  type: optString,
  upload_id: nullableString,
  rapid_upload: optBool,
  exist: optBool,
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
  uploaded_parts: z
    .array(z.looseObject({ part_number: reqNumber, part_size: optNumber, etag: nullableString }))
    .nullish(),
  next_part_number_marker: nullableString,
})

export const downloadUrlSchema = z.looseObject({
  url: nullableString,
  expiration: nullableString,
  method: nullableString,
  size: optNumber,
  /** camelCase on the wire; for .livp: { jpeg, mov }. Values that are not strings are dropped. */
  streamsUrl: optStringMap,
})
export const moveCopyResponseSchema = z.looseObject({
  drive_id: nullableString,
  file_id: idString,
  exist: optBool,
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

// The renewal exchanges' answer belongs to auth/ (below api/); listed here with the other wire shapes.
export { tokenResponseSchema } from '../auth/renewal.js'
