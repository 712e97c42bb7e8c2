/**
 * Name validation and `check_name_mode` parsing (docs/api-notes.md §3.7), the service's side. The client has its own
 * (`nameProblem` in src/paths/mount-path.ts, `CheckNameMode` in src/api/files.ts) and this file does not share them on
 * purpose: the emulator stands in for AliyunDrive and may import only src/util (.dependency-cruiser.cjs), so a
 * mistake in the client's rule is caught by the service refusing, not agreed on by both sides.
 */
import { ApiError } from './api-error.js'
import type { NameMode } from './state/drive-tree.js'

/** UTF-8, at most 1024 bytes, no '/', not empty and not '.' or '..'. */
export function validateName(name: string): string {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || Buffer.byteLength(name) > 1024) {
    throw new ApiError(400, 'InvalidParameter.Name', 'The input parameter name is not valid.')
  }
  return name
}

export function parseNameMode(value: string | undefined, fallback: NameMode): NameMode {
  if (value === undefined) return fallback
  if (value === 'refuse' || value === 'ignore' || value === 'auto_rename') return value
  // The old web API's `overwrite` is not part of the open API (docs/api-notes.md §3.7).
  throw new ApiError(400, 'InvalidParameter.CheckNameMode', 'The input parameter check_name_mode is not valid.')
}

export const alreadyExists = (name: string): ApiError =>
  new ApiError(
    400,
    'AlreadyExist.File',
    `The resource file has already existed. file with the same name exists: ${name}`,
  )
