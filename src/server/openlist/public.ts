/**
 * The endpoints OpenList answers before any auth check (server/router.go: `/ping` and the `public` group):
 * the web UI loads `/api/public/settings` and `/api/public/archive_extensions` before it even shows the login page,
 * and any non-200 code there replaces the whole page with "Failed fetching settings".
 * Settings hold the keys the UI reads, with OpenList's defaults except what is ours (title, logo, version) and what
 * must not reach outside this machine (the iframe previewers on OpenList's own hosts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { drain, sendText } from '../http-io.js'
import { LOGO_PATH, SITE_TITLE, VERSION } from '../ui/site.js'
import { MAIN_COLOR } from '../ui/ui-files.js'
import { ok } from './envelope.js'
import { ARCHIVE_EXTENSIONS } from './archive/archive-api.js'

export const PUBLIC_SETTINGS: Readonly<Record<string, string>> = Object.freeze({
  version: VERSION,
  site_title: SITE_TITLE,
  // Kept for clients of our earlier answer, which sent `title`.
  title: SITE_TITLE,
  announcement: '',
  pagination_type: 'all',
  default_page_size: '30',
  allow_indexed: 'false',
  allow_mounted: 'true',
  logo: LOGO_PATH,
  favicon: LOGO_PATH,
  main_color: MAIN_COLOR,
  home_icon: '🏠',
  share_icon: '🎁',
  home_container: 'max_980px',
  settings_layout: 'list',
  show_disk_usage_in_plain_text: 'false',
  external_previews: '{}',
  iframe_previews: '{}',
  audio_cover: LOGO_PATH,
  audio_autoplay: 'true',
  video_autoplay: 'false',
  preview_download_by_default: 'false',
  preview_archives_by_default: 'true',
  share_preview_download_by_default: 'true',
  share_preview_archives_by_default: 'false',
  readme_autorender: 'true',
  filter_readme_scripts: 'true',
  hide_files: '/\\/README.md/i',
  package_download: 'true',
  filename_char_mapping: '{"/": "|"}',
  forward_direct_link_params: 'false',
  ignore_direct_link_params: 'sign,openlist_ts,raw',
  webauthn_login_enabled: 'false',
  share_preview: 'false',
  share_archive_preview: 'false',
  // Not "none": our search goes to AliyunDrive's own search, so there is always an index.
  search_index: 'database',
  sso_login_enabled: 'false',
  sso_login_platform: '',
  sso_compatibility_mode: 'false',
  ldap_login_enabled: 'false',
  robots_txt: 'User-agent: *\nDisallow: /',
})

/** Answers the public endpoints; false when `pathname` is none of them. */
export function handlePublic(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
  switch (pathname) {
    case '/ping':
      drain(req)
      sendText(res, 200, 'pong')
      return true
    case '/api/public/settings':
      drain(req)
      ok(res, PUBLIC_SETTINGS)
      return true
    case '/api/public/archive_extensions':
      drain(req)
      ok(res, ARCHIVE_EXTENSIONS)
      return true
    case '/api/public/offline_download_tools':
      drain(req)
      // No offline download tool is configured here: OpenList answers an empty list then.
      ok(res, [])
      return true
    default:
      return false
  }
}
