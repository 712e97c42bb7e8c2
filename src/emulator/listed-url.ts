/**
 * The `url` a file object carries in list/get answers (docs/api-notes.md §3.0: "direct download URL for files < 5 MB",
 * a preview for images): the emulator gives files under 5 MB, images and Live Photos excepted, a download URL signed
 * like getDownloadUrl's, with the same default lifetime and cap. `listedUrls: false` models an account or an API
 * version whose listings carry no such URL, so clients are tested on both.
 */
import { clampExpireSec, downloadUrl } from './data-plane/urls.js'
import { categoryOf, extensionOf } from './media.js'
import type { FileNode } from './state/drive-tree.js'
import type { EmulatorState } from './state/emulator-state.js'

export const LISTED_URL_MAX_BYTES = 5 * 1000 * 1000

export function withListedUrl(
  state: EmulatorState,
  node: FileNode,
  view: Record<string, unknown>,
): Record<string, unknown> {
  if (!state.opts.listedUrls || node.type !== 'file' || !node.blob) return view
  if (node.blob.size >= LISTED_URL_MAX_BYTES) return view
  if (categoryOf(node.name) === 'image' || extensionOf(node.name) === 'livp') return view
  const expiresSec = Math.floor(state.now() / 1000) + clampExpireSec(state, undefined)
  view.url = downloadUrl(state, node, expiresSec, undefined, state.faults.listedUrlsServeOtherBytes)
  return view
}
