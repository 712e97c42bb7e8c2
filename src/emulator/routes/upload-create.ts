/**
 * `openFile/create` (docs/api-notes.md §3.7) for folders and files, including both rapid-upload stages (docs/api-notes.md §6.5, §6.6):
 * a `pre_hash` hit answers `PreHashMatched`; a `content_hash` + v1 `proof_code` that proves possession of stored
 * content links it at once (`rapid_upload: true`), anything else falls back to a normal upload.
 */
import { ApiError } from '../api-error.js'
import { createView } from '../file-view.js'
import { optInt, optString, reqString } from '../http-io.js'
import { uploadUrl } from '../data-plane/urls.js'
import { newUploadId } from '../ids.js'
import { parseNameMode, validateName } from '../names.js'
import type { FileNode } from '../state/drive-tree.js'
import type { EmulatorState } from '../state/emulator-state.js'
import { MAX_PART_NUMBER, UploadSession } from '../state/upload-session.js'
import { parseClientTime } from '../time.js'
import { encodeProof, proofRange } from '../../util/proof-code.js'
import type { ApiRoute } from './route.js'

/** `part_info_list` absent → one part; `[]` → no parts (an empty file, docs/api-notes.md §3.7). */
export function parsePartList(value: unknown, absent: 'one' | 'none'): Map<number, number | null> {
  const parts = new Map<number, number | null>()
  if (value === undefined || value === null || value === '') {
    if (absent === 'one') parts.set(1, null)
    return parts
  }
  if (!Array.isArray(value))
    throw new ApiError(400, 'InvalidParameter.PartInfoList', 'part_info_list must be an array.')
  for (const entry of value as Record<string, unknown>[]) {
    const n = entry && typeof entry === 'object' ? optInt(entry, 'part_number') : undefined
    if (n === undefined || n < 1 || n > MAX_PART_NUMBER) {
      throw new ApiError(400, 'InvalidParameter.PartNumber', `part_number must be between 1 and ${MAX_PART_NUMBER}.`)
    }
    parts.set(n, optInt(entry, 'part_size') ?? null)
  }
  return parts
}

export function partInfoList(state: EmulatorState, session: UploadSession, numbers: Iterable<number>): unknown[] {
  return [...numbers].map((n) => ({
    part_number: n,
    upload_url: uploadUrl(state, session, n),
    part_size: session.declaredParts.get(n) ?? null,
    etag: null,
    content_type: '',
  }))
}

/** Whether `proofCode` proves the caller holds the blob's bytes, checked with the caller's own token (docs/api-notes.md §6.6). */
async function proofMatches(
  state: EmulatorState,
  token: string,
  sha1: string,
  size: number,
  proofCode: string,
): Promise<FileNode['blob']> {
  const blob = state.blobs.findBySha1(sha1)
  if (!blob || blob.size !== size) return undefined
  const { start, end } = proofRange(token, size)
  const expected = encodeProof(await state.blobs.readBytes(blob, start, end))
  return expected === proofCode ? blob : undefined
}

export const uploadCreateRoute: ApiRoute = {
  path: '/adrive/v1.0/openFile/create',
  cls: 'other',
  async handle({ state, auth, body }) {
    const tree = state.requireDrive(auth.userId, optString(body, 'drive_id'))
    const parentId = state.requireLiveFolder(tree, reqString(body, 'parent_file_id'))
    let name = validateName(reqString(body, 'name'))
    const type = reqString(body, 'type')
    if (type !== 'file' && type !== 'folder')
      throw new ApiError(400, 'InvalidParameter.Type', 'type must be file or folder.')
    const mode = parseNameMode(optString(body, 'check_name_mode'), 'ignore')

    const existing = tree.findChild(parentId, name)
    if (existing && mode === 'refuse') {
      // `refuse` creates nothing and returns the item holding the name, folder or file (docs/api-notes.md §3.7, §10 item 9).
      return createView(existing, { type: existing.type, exist: true })
    }
    if (existing && mode === 'auto_rename') name = tree.uniqueName(parentId, name)

    if (type === 'folder') {
      const folder = state.newNode(tree, parentId, name, 'folder', true)
      tree.add(folder)
      return createView(folder, {})
    }

    const size = optInt(body, 'size')
    if (size !== undefined && size < 0) throw new ApiError(400, 'InvalidParameter.Size', 'size must not be negative.')
    const parts = parsePartList(body.part_info_list, 'one')
    const preHash = optString(body, 'pre_hash')
    if (preHash !== undefined && size !== undefined && state.blobs.findByPreHash(size, preHash)) {
      // 409 (Conflict), as one client handles it; ODAL's 400 is a generic 4xx→error mapping, and every client
      // branches on the code, not the status (docs/api-notes.md §4.2, §12.3). Nothing is created.
      throw new ApiError(409, 'PreHashMatched', 'Pre hash matched.', {
        parent_file_id: parentId,
        file_name: name,
        pre_hash: preHash,
      })
    }
    if (size !== undefined) state.checkQuota(auth.userId, size)

    const contentHash = optString(body, 'content_hash')
    const proofCode = optString(body, 'proof_code')
    const rapidBlob =
      contentHash && proofCode && optString(body, 'proof_version') === 'v1' && size !== undefined
        ? await proofMatches(state, auth.token, contentHash, size, proofCode)
        : undefined

    const node = state.newNode(tree, parentId, name, 'file', rapidBlob !== undefined)
    node.localCreatedAt = parseClientTime(body.local_created_at)
    node.localModifiedAt = parseClientTime(body.local_modified_at)
    tree.add(node)
    const session = new UploadSession(
      newUploadId(),
      auth.userId,
      tree.driveId,
      node.fileId,
      parts,
      contentHash?.toUpperCase(),
      rapidBlob !== undefined,
      state.now(),
    )
    state.uploads.set(session.uploadId, session)
    if (rapidBlob) {
      state.linkBlob(node, rapidBlob)
      session.state = 'completed'
      return createView(node, { upload_id: session.uploadId, rapid_upload: true, part_info_list: [] })
    }
    return createView(node, {
      upload_id: session.uploadId,
      rapid_upload: false,
      part_info_list: partInfoList(state, session, parts.keys()),
    })
  },
}
