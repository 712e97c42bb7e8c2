/**
 * Headers for every response that carries a drive file's bytes from this server's origin (WebDAV GET/HEAD, proxied
 * `/d/`, `/p/`). A file in the drive is content a stranger may have written (a shared folder, a downloaded page): were
 * it rendered as a page of our origin, its script would run with the user's Basic credentials or the web UI's token
 * and could list, read or delete the whole mount. So:
 * - `X-Content-Type-Options: nosniff`: the browser never upgrades a text/plain or octet-stream file to HTML or script;
 * - `Content-Security-Policy: sandbox`: even a document that does render gets an opaque origin and no script, so it
 *   reaches none of our cookies, storage or same-origin requests;
 * - `Content-Disposition: attachment` for the types a browser would run (ACTIVE below), so they are saved, not opened.
 * Images, audio, video, plain text and PDF stay inline: a viewer needs them, and they run no script of their own under
 * the sandbox.
 */
import { contentTypeOf } from './mime.js'

/**
 * Media types a browser executes or renders as a document that can carry script: HTML, XHTML, SVG, XML (XSLT and
 * XHTML namespaces run script), JavaScript in all its names, and the legacy plug-in formats.
 */
const ACTIVE_TYPES = new Set([
  'text/html',
  'application/xhtml+xml',
  'image/svg+xml',
  'application/xml',
  'text/xml',
  'text/xsl',
  'application/xslt+xml',
  'text/javascript',
  'application/javascript',
  'application/x-javascript',
  'application/ecmascript',
  'text/ecmascript',
  'application/x-shockwave-flash',
])

/** Extensions that mean an active type even when mime.ts does not name them (it answers octet-stream for those). */
const ACTIVE_EXTENSIONS = new Set([
  'html',
  'htm',
  'shtml',
  'xhtml',
  'xht',
  'svg',
  'svgz',
  'xml',
  'xsl',
  'xslt',
  'js',
  'mjs',
  'cjs',
  'swf',
  'mht',
  'mhtml',
])

export function isActiveContent(name: string, contentType = contentTypeOf(name)): boolean {
  const type = contentType.split(';')[0]!.trim().toLowerCase()
  if (ACTIVE_TYPES.has(type) || type.endsWith('+xml')) return true
  const dot = name.lastIndexOf('.')
  return dot >= 0 && ACTIVE_EXTENSIONS.has(name.slice(dot + 1).toLowerCase())
}

/** RFC 6266 `attachment` with an ASCII fallback name and the exact UTF-8 name in `filename*` (RFC 8187). */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_')
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`
}

export function fileBytesHeaders(name: string, contentType = contentTypeOf(name)): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': 'sandbox',
  }
  if (isActiveContent(name, contentType)) headers['Content-Disposition'] = attachmentDisposition(name)
  return headers
}
