/**
 * The web UI at `/`: its static folders (assets, images, streamer, static) from `openlist-ui/`, `/manifest.json`,
 * our logo, and index.html for every other GET or POST path (the SPA's routes), as OpenList's `Static` does;
 * other methods answer 405 there too. Files are served only from inside the four folders.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join, normalize, sep } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { sendText } from '../http-io.js'
import { pathFromUrl } from '../safe-path.js'
import { LOGO_PATH, LOGO_SVG, SITE_TITLE } from './site.js'
import { loadIndexHtml, UI_DIR } from './ui-files.js'
import { policedPage, withNonceSlots } from './page-policy.js'

const FOLDERS = ['assets', 'images', 'streamer', 'static']
const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  html: 'text/html; charset=utf-8',
  json: 'application/json',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  png: 'image/png',
  gif: 'image/gif',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  wasm: 'application/wasm',
  gz: 'application/gzip',
  txt: 'text/plain; charset=utf-8',
  map: 'application/json',
}

export interface UiHandler {
  /** Answers the request if it is the UI's; false when the path is not (the caller answers 404). */
  handle(req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<boolean>
}

export function createUiHandler(dir = UI_DIR): UiHandler {
  const index = withNonceSlots(loadIndexHtml(dir))
  const manifest = JSON.stringify({
    display: 'standalone',
    scope: '/',
    start_url: '/',
    name: SITE_TITLE,
    icons: [{ src: LOGO_PATH, sizes: '512x512', type: 'image/svg+xml' }],
  })
  return {
    async handle(req, res, rawPath) {
      const method = req.method ?? 'GET'
      req.resume()
      if (rawPath === '/manifest.json') return send(res, method, 'application/json', manifest, 'public, max-age=3600')
      if (rawPath === LOGO_PATH) return send(res, method, 'image/svg+xml', LOGO_SVG, 'public, max-age=3600')
      const folder = FOLDERS.find((f) => rawPath.startsWith(`/${f}/`))
      if (folder) return serveStatic(req, res, dir, rawPath)
      if (method !== 'GET' && method !== 'POST' && method !== 'HEAD') {
        sendText(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD, POST' })
        return true
      }
      // no-store: the page names hashed asset files (a stale copy after an upgrade would load missing assets), and
      // its nonce must never be reused.
      const page = policedPage(index)
      return send(res, method, 'text/html; charset=utf-8', page.html, 'no-store', {
        'Content-Security-Policy': page.policy,
        'X-Content-Type-Options': 'nosniff',
      })
    },
  }
}

function send(
  res: ServerResponse,
  method: string,
  type: string,
  body: string,
  cache: string,
  extra: Record<string, string> = {},
): true {
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': cache,
    ...extra,
  })
  res.end(method === 'HEAD' ? undefined : body)
  return true
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, dir: string, rawPath: string): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'use GET or HEAD\n', { Allow: 'GET, HEAD' })
    return true
  }
  let file: string
  try {
    file = normalize(join(dir, pathFromUrl(rawPath)))
  } catch {
    return false
  }
  if (!file.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return false
  const info = await stat(file).catch(() => undefined)
  if (!info?.isFile()) return false
  const ext = file.slice(file.lastIndexOf('.') + 1).toLowerCase()
  res.writeHead(200, {
    'Content-Type': TYPES[ext] ?? 'application/octet-stream',
    'Content-Length': info.size,
    // The file names carry content hashes; OpenList caches these folders for 180 days.
    'Cache-Control': 'public, max-age=15552000',
    'X-Content-Type-Options': 'nosniff',
  })
  if (req.method === 'HEAD') {
    res.end()
    return true
  }
  await pipeline(createReadStream(file), res).catch(() => res.destroy())
  return true
}
