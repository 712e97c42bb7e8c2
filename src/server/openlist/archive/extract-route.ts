/**
 * GET/HEAD /ae/<archive path>?inner=<path inside>&sign=…: one file out of a zip on the drive, as OpenList's
 * internal-extract route. The sign is the archive's own (whoever may download the zip may read what is in it).
 * The bytes are the archive's content, not ours: attachment unless a media type a browser only displays, and a
 * sandbox CSP so nothing inside can run as this origin's page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import type { ServerContext } from '../../context.js'
import { admitDownload } from '../../download-access.js'
import { mapError } from '../../error-status.js'
import { fileBytesHeaders } from '../../file-bytes-headers.js'
import { drain, sendText } from '../../http-io.js'
import { contentTypeOf } from '../../mime.js'
import { cleanPath } from '../../safe-path.js'
import { openArchive } from './archive-api.js'

export async function handleArchiveExtract(
  serverCtx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  tail: string,
  query: URLSearchParams,
): Promise<void> {
  drain(req)
  try {
    const admitted = admitDownload(serverCtx, req, res, tail, query)
    if (admitted === undefined) return
    const { ctx, path } = admitted
    const inner = cleanPath(query.get('inner') ?? '/').slice(1)
    const { zip } = await openArchive(ctx, path, false)
    const entry = zip.entries.find((e) => e.path === inner && !e.isFolder)
    if (!entry) return sendText(res, 404, `no file "${inner}" in the archive\n`)
    const type = contentTypeOf(entry.path)
    const name = entry.path.slice(entry.path.lastIndexOf('/') + 1)
    // The same protection as every other response carrying file bytes from our origin (file-bytes-headers.ts).
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': entry.size,
      'Cache-Control': 'no-store',
      ...fileBytesHeaders(name, type),
    })
    if (req.method === 'HEAD') return void res.end()
    await pipeline(await zip.openEntry(entry.entry), res)
  } catch (e) {
    if (res.headersSent) return void res.destroy()
    const m = mapError(e)
    sendText(res, m.http, `${m.message}\n`)
  }
}
