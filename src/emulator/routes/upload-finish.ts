/**
 * `openFile/getUploadUrl` (docs/api-notes.md §3.8), `listUploadedParts` (docs/api-notes.md §3.9) and `complete`
 * (docs/api-notes.md §3.10).
 */
import { ApiError } from '../api-error.js'
import { fileView } from '../file-view.js'
import { optInt, optString, reqString } from '../http-io.js'
import type { EmulatorState } from '../state/emulator-state.js'
import type { UploadSession } from '../state/upload-session.js'
import { isoMs } from '../time.js'
import { createHash } from 'node:crypto'
import type { ApiRoute, RouteContext } from './route.js'
import { parsePartList, partInfoList } from './upload-create.js'

const PARTS_PAGE = 1000

function requireSession({ state, auth, body }: RouteContext): UploadSession {
  state.expireUploads()
  const tree = state.requireDrive(auth.userId, optString(body, 'drive_id'))
  const uploadId = reqString(body, 'upload_id')
  const fileId = reqString(body, 'file_id')
  const s = state.uploads.get(uploadId)
  if (!s || s.fileId !== fileId || s.driveId !== tree.driveId || !tree.get(fileId)) {
    throw new ApiError(400, 'NotFound.UploadId', `The upload id cannot be found: ${uploadId}`)
  }
  return s
}

function completeView(state: EmulatorState, s: UploadSession): Record<string, unknown> {
  const node = state.drives.get(s.driveId)?.get(s.fileId)
  if (!node) throw new ApiError(400, 'NotFound.UploadId', `The upload id cannot be found: ${s.uploadId}`)
  return fileView(node, { ...state.opts, withLocalTimes: true })
}

export const uploadFinishRoutes: ApiRoute[] = [
  {
    path: '/adrive/v1.0/openFile/getUploadUrl',
    cls: 'other',
    handle(ctx) {
      const s = requireSession(ctx)
      if (s.state !== 'uploading') throw new ApiError(400, 'NotFound.UploadId', 'The upload is already complete.')
      // Any part number up to 10 000 is accepted, also beyond those declared at create (ODAL relies on it, docs/api-notes.md §3.8).
      const asked = parsePartList(ctx.body.part_info_list, 'none')
      const numbers = asked.size > 0 ? asked : s.declaredParts
      for (const [n, size] of asked) if (!s.declaredParts.has(n)) s.declaredParts.set(n, size)
      return {
        domain_id: 'bj29',
        drive_id: s.driveId,
        file_id: s.fileId,
        upload_id: s.uploadId,
        created_at: isoMs(s.createdAt),
        part_info_list: partInfoList(
          ctx.state,
          s,
          [...numbers.keys()].sort((a, b) => a - b),
        ),
      }
    },
  },
  {
    path: '/adrive/v1.0/openFile/listUploadedParts',
    cls: 'other',
    handle(ctx) {
      const s = requireSession(ctx)
      const marker = optInt(ctx.body, 'part_number_marker') ?? 0
      const all = [...s.parts.values()].filter((p) => p.partNumber > marker).sort((a, b) => a.partNumber - b.partNumber)
      const page = all.slice(0, PARTS_PAGE)
      const last = page[page.length - 1]
      return {
        drive_id: s.driveId,
        file_id: s.fileId,
        upload_id: s.uploadId,
        parallelUpload: false, // camelCase on the wire (docs/api-notes.md §3.9); parts are sequential
        uploaded_parts: page.map((p) => ({ etag: p.etag, part_number: p.partNumber, part_size: p.size })),
        next_part_number_marker: all.length > PARTS_PAGE && last ? String(last.partNumber) : '',
      }
    },
  },
  {
    path: '/adrive/v1.0/openFile/complete',
    cls: 'other',
    handle(ctx) {
      const { state, auth } = ctx
      const s = requireSession(ctx)
      // Also after a rapid upload, and repeatable: the file is returned again (docs/api-notes.md §3.10).
      if (s.state === 'completed') {
        if (state.faults.repeatedCompleteFails)
          throw new ApiError(400, 'NotFound.UploadId', `The upload id cannot be found: ${s.uploadId}`)
        return completeView(state, s)
      }
      // The SHA-1 was computed while the parts streamed in (see upload-session.ts); copy() keeps it reusable.
      const sha1 = s.hash.copy().digest('hex').toUpperCase()
      if (s.declaredHash && s.declaredHash !== sha1) {
        throw new ApiError(
          400,
          'InvalidParameter.ContentHash',
          'content hash is not matched with content_hash in complete file request',
        )
      }
      state.checkQuota(auth.userId, s.bytes)
      const node = state.drives.get(s.driveId)?.get(s.fileId)
      if (!node) throw new ApiError(400, 'NotFound.UploadId', `The upload id cannot be found: ${s.uploadId}`)
      const preHash = createHash('sha1').update(s.head).digest('hex')
      state.linkBlob(node, state.blobs.fromHashed(s.segments(), s.bytes, sha1, preHash))
      s.state = 'completed'
      const t = state.now()
      node.visible = true
      node.createdAt = t
      node.updatedAt = t
      return fileView(node, { ...state.opts, withLocalTimes: true })
    },
  },
]
