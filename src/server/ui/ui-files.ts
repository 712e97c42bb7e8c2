/**
 * The installed OpenList web UI (`openlist-ui/`, put there by scripts/fetch-openlist-ui.mjs) and its index.html filled
 * once at start as OpenList's backend fills it (server/static/static.go): `cdn` and `base_path` in
 * `window.OPENLIST_CONFIG`, the manifest link, favicon, logo, title and main color. `api` stays undefined there too,
 * which makes the UI call the API on its own origin.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { UiMissingError } from '../server-errors.js'
import { LOGO_PATH, SITE_TITLE } from './site.js'

export const UI_DIR = fileURLToPath(new URL('../../../openlist-ui/', import.meta.url))
export const MAIN_COLOR = '#1890ff'

function replaceOnce(html: string, from: string, to: string): string {
  if (!html.includes(from)) throw new UiMissingError(`${UI_DIR}index.html has no "${from}" to fill; is it OpenList's?`)
  return html.replace(from, () => to)
}

export function loadIndexHtml(dir = UI_DIR): string {
  const file = `${dir}index.html`
  if (!existsSync(file)) {
    throw new UiMissingError(
      `OpenList's web UI is not installed (${file} is missing): run \`npm run fetch-ui\`, or serve with --no-ui`,
    )
  }
  let html = readFileSync(file, 'utf8')
  // Served at the root, no CDN: OpenList then sets cdn to the base path without its trailing slash.
  html = replaceOnce(html, 'cdn: undefined', "cdn: ''")
  html = replaceOnce(html, 'base_path: undefined', "base_path: '/'")
  html = replaceOnce(html, 'main_color: undefined', `main_color: '${MAIN_COLOR}'`)
  html = replaceOnce(html, 'https://res.oplist.org/logo/logo.svg', LOGO_PATH)
  html = replaceOnce(html, 'https://res.oplist.org/logo/logo.png', LOGO_PATH)
  html = replaceOnce(html, '<title>Loading...</title>', `<title>${SITE_TITLE}</title>`)
  return html
}
