/**
 * The Content-Security-Policy the web UI's page is served with (RELIABILITY.md, "A drive file never runs script in the
 * web UI"). The UI previews an HTML file by putting its text into an `<iframe srcdoc>` without `sandbox`; such a frame
 * has our origin and inherits the policy of the page that made it, so the policy is what keeps a file's script from
 * reading the token in localStorage and calling the API. The `/p/` headers cannot help there: the browser never
 * renders that response itself (docs/host-notes.md §1b).
 *
 * Scripts: only those carrying the page's nonce, fresh for every answer of index.html, and what they load
 * (`'strict-dynamic'`: the page's own loader inserts the bundle's module script, which imports its chunks). Neither
 * `'self'` nor a host list: either would also admit `<script src="/dav/…">` or a signed `/d/` link to a `.js` in the
 * drive, which the browser would run as ours. A document in a `srcdoc` frame cannot know the nonce (Chromium hides it
 * from the DOM, and each answer has another), so none of its scripts, inline handlers or `javascript:` URLs runs.
 * `'wasm-unsafe-eval'` lets the previewers compile their WebAssembly (subtitles, HEIC) without allowing `eval`.
 *
 * The rest is what the real UI loads: its styles are injected at run time (inline styles cannot run script);
 * previews show images, media and PDFs from `/d/` links that redirect to AliyunDrive's hosts, and fetch them;
 * workers and the download service worker come from our folders or `blob:`. Plug-ins are off, `<base>` is ours, and
 * other sites may not frame the UI.
 */
import { randomBytes } from 'node:crypto'

/** Put into every `<script` tag of index.html once; each answer replaces it with its own nonce. */
const NONCE_SLOT = '__aliyundrive_open_csp_nonce__'

export interface PolicedPage {
  html: string
  policy: string
}

/** index.html with a nonce slot on every script element; throws when it has none (not OpenList's page). */
export function withNonceSlots(html: string): string {
  if (!/<script\b/i.test(html)) throw new Error('index.html has no script element to give a nonce')
  return html.replace(/<script\b/gi, `<script nonce="${NONCE_SLOT}"`)
}

export function pagePolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: http: https:",
    "media-src 'self' data: blob: http: https:",
    "connect-src 'self' data: blob: http: https:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    "frame-src 'self' data: blob: http: https:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ')
}

/** The page and its policy for one answer, with a nonce nobody has seen before. */
export function policedPage(slotted: string): PolicedPage {
  const nonce = randomBytes(18).toString('base64')
  return { html: slotted.replaceAll(NONCE_SLOT, nonce), policy: pagePolicy(nonce) }
}
