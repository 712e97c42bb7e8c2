/**
 * Builders of the data-plane URLs the API hands out. They live on the emulator's own host (docs/api-notes.md §1.1 puts them on
 * an OSS host; clients never call them with the bearer token) and are signed and expiring (see url-signer.ts).
 */
import type { FileNode } from '../state/drive-tree.js'
import type { EmulatorState } from '../state/emulator-state.js'
import type { UploadSession } from '../state/upload-session.js'

export const UPLOAD_PREFIX = '/data/up/'
export const DOWNLOAD_PREFIX = '/data/dl/'
export const PREVIEW_PREFIX = '/data/preview/'

export function uploadUrl(state: EmulatorState, s: UploadSession, partNumber: number): string {
  const expires = Math.floor(state.now() / 1000) + state.opts.uploadUrlTtlSec
  return state.signer.sign(
    'PUT',
    `${UPLOAD_PREFIX}${s.driveId}/${s.fileId}/${s.uploadId}`,
    { partNumber: String(partNumber), uploadId: s.uploadId },
    expires,
  )
}

/** Clamps a requested lifetime to the cap (docs/api-notes.md §3.11: values above it are clamped, not rejected). */
export function clampExpireSec(state: EmulatorState, requested: number | undefined): number {
  const cap = state.opts.downloadUrlTtlSec
  // 900 s is the documented default when expire_sec is not sent (docs/api-notes.md §3.11).
  const sec = requested === undefined || requested <= 0 ? Math.min(900, cap) : requested
  return Math.min(sec, cap)
}

/** Marks a listed URL handed out under the `listedUrlsServeOtherBytes` fault (download-get.ts serves other bytes). */
export const OTHER_BYTES_PARAM = 'emu-other-bytes'

export function downloadUrl(
  state: EmulatorState,
  node: FileNode,
  expiresSec: number,
  stream?: string,
  otherBytes = false,
): string {
  const params: Record<string, string> = {
    di: 'bj29',
    dr: node.driveId,
    f: node.fileId,
    'response-content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(node.name)}`,
  }
  if (stream) params.stream = stream
  if (otherBytes) params[OTHER_BYTES_PARAM] = '1'
  return state.signer.sign(
    'GET',
    `${DOWNLOAD_PREFIX}${node.driveId}/${node.fileId}/${node.revisionId}`,
    params,
    expiresSec,
  )
}

export function previewUrl(state: EmulatorState, node: FileNode, template: string, expiresSec: number): string {
  return state.signer.sign('GET', `${PREVIEW_PREFIX}${node.driveId}/${node.fileId}/${template}.m3u8`, {}, expiresSec)
}
