/** `openFile/getDownloadUrl` (docs/api-notes.md §3.11) and `openFile/getVideoPreviewPlayInfo` (docs/api-notes.md §3.12). */
import { ApiError } from '../api-error.js'
import { clampExpireSec, downloadUrl, previewUrl } from '../data-plane/urls.js'
import { DOMAIN_ID } from '../file-view.js'
import { optInt, optString, reqString } from '../http-io.js'
import { LIVP_STREAMS } from '../livp.js'
import { categoryOf, extensionOf } from '../media.js'
import { isoMs } from '../time.js'
import type { ApiRoute } from './route.js'

/** Transcoding templates (docs/api-notes.md §8: LD/SD/HD/FHD/QHD); the emulated source is 1080p, so up to FHD. */
const TEMPLATES = [
  { id: 'LD', width: 640, height: 360 },
  { id: 'SD', width: 848, height: 480 },
  { id: 'HD', width: 1280, height: 720 },
  { id: 'FHD', width: 1920, height: 1080 },
]

export const downloadRoutes: ApiRoute[] = [
  {
    path: '/adrive/v1.0/openFile/getDownloadUrl',
    cls: 'link',
    handle({ state, auth, body }) {
      const tree = state.requireDrive(auth.userId, optString(body, 'drive_id'))
      const node = state.requireLiveNode(tree, reqString(body, 'file_id'))
      if (node.type !== 'file' || !node.blob) {
        throw new ApiError(400, 'InvalidParameter.FileId', 'Download url is only available for files.')
      }
      const sec = clampExpireSec(state, optInt(body, 'expire_sec'))
      const expiresSec = Math.floor(state.now() / 1000) + sec
      const isLivp = extensionOf(node.name) === 'livp'
      return {
        domain_id: DOMAIN_ID,
        drive_id: node.driveId,
        file_id: node.fileId,
        // `.livp`: empty url, one URL per stream in camelCase `streamsUrl` (docs/api-notes.md §3.11, §8).
        url: isLivp ? '' : downloadUrl(state, node, expiresSec),
        streamsUrl: isLivp
          ? Object.fromEntries(LIVP_STREAMS.map((s) => [s, downloadUrl(state, node, expiresSec, s)]))
          : null,
        expiration: isoMs(expiresSec * 1000),
        method: 'GET',
        size: node.blob.size,
        content_hash: node.blob.sha1,
        content_hash_name: 'sha1',
        description: '',
      }
    },
  },
  {
    path: '/adrive/v1.0/openFile/getVideoPreviewPlayInfo',
    cls: 'other',
    handle({ state, auth, body }) {
      const tree = state.requireDrive(auth.userId, optString(body, 'drive_id'))
      const node = state.requireLiveNode(tree, reqString(body, 'file_id'))
      const category = optString(body, 'category') ?? 'live_transcoding'
      if (category !== 'live_transcoding') {
        throw new ApiError(400, 'InvalidParameter.Category', 'The input parameter category is not valid.')
      }
      if (node.type !== 'file' || categoryOf(node.name) !== 'video' || !node.blob) {
        throw new ApiError(404, 'NotFound.VideoPreviewInfo', 'The file has no video preview.')
      }
      const sec = clampExpireSec(state, optInt(body, 'url_expire_sec'))
      const expiresSec = Math.floor(state.now() / 1000) + sec
      const template = optString(body, 'template_id')
      const templates = template ? TEMPLATES.filter((t) => t.id === template) : TEMPLATES
      return {
        domain_id: DOMAIN_ID,
        drive_id: node.driveId,
        file_id: node.fileId,
        video_preview_play_info: {
          category: 'live_transcoding',
          // A stable pseudo-duration (seconds) derived from the size: 1 MiB per second of video.
          meta: {
            duration: Math.max(1, Math.round((node.blob.size / 1048576) * 1000) / 1000),
            width: 1920,
            height: 1080,
          },
          live_transcoding_task_list: templates.map((t) => ({
            template_id: t.id,
            template_name: t.id,
            template_width: t.width,
            template_height: t.height,
            keep_original_resolution: false,
            stage: 'last',
            status: 'finished',
            url: previewUrl(state, node, t.id, expiresSec),
          })),
          live_transcoding_subtitle_task_list: [],
        },
      }
    },
  },
]
