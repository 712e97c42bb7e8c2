/**
 * `GET`/`HEAD <download url>` (docs/api-notes.md §3.11): ranged reads (206 + Content-Range, 416 when unsatisfiable), streamed
 * from the blob's segments with backpressure, never buffered whole. `.livp` stream URLs carry `stream=jpeg|mov`.
 * Preview playlists and their media are in preview-hls.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { sendOssError } from '../http-io.js'
import { livpStreamBytes, type LivpStream } from '../livp.js'
import { mimeOf } from '../media.js'
import { readSegments, type Segment } from '../state/blob-store.js'
import type { FileNode } from '../state/drive-tree.js'
import type { EmulatorState } from '../state/emulator-state.js'
import { checkSignedUrl } from './oss-checks.js'
import { parseRange } from './range.js'
import { DOWNLOAD_PREFIX, OTHER_BYTES_PARAM, PREVIEW_PREFIX } from './urls.js'

function lookup(state: EmulatorState, prefix: string, url: URL): FileNode | undefined {
  const [driveId, fileId] = url.pathname.slice(prefix.length).split('/')
  const node = state.drives.get(driveId ?? '')?.get(fileId ?? '')
  return node?.visible && node.blob ? node : undefined
}

export async function handleDownload(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  state: EmulatorState,
): Promise<void> {
  const method = req.method ?? 'GET'
  if (!checkSignedUrl(state, method, url, res)) return
  const node = lookup(state, DOWNLOAD_PREFIX, url)
  if (!node?.blob) return sendOssError(res, 404, 'NoSuchKey', 'The specified key does not exist.')
  if (method === 'GET') {
    const userId = state.drives.get(node.driveId)?.userId ?? ''
    const release = state.downloadSlots.enter(userId)
    state.stats.downloadsPeak = Math.max(state.stats.downloadsPeak, state.downloadSlots.running(userId))
    if (!release) {
      state.stats.downloadsOverConcurrency++
      // The service's answer (docs/api-notes.md §4.2: 403 with RequestDeniedByCallback and ExceedMaxConcurrency).
      return sendOssError(res, 403, 'RequestDeniedByCallback', 'ExceedMaxConcurrency')
    }
    res.once('close', release)
    if (state.faults.downloadLatencyMs > 0) await sleep(state.faults.downloadLatencyMs)
  }
  const stream = url.searchParams.get('stream') as LivpStream | null
  let segments: Segment[] = node.blob.segments
  let size = node.blob.size
  let contentType = mimeOf(node.name)
  if (stream === 'jpeg' || stream === 'mov') {
    const data = livpStreamBytes(node.blob.sha1, stream)
    segments = [{ kind: 'mem', data }]
    size = data.byteLength
    contentType = stream === 'jpeg' ? 'image/jpeg' : 'video/quicktime'
  }
  if (url.searchParams.has(OTHER_BYTES_PARAM)) segments = [{ kind: 'mem', data: await otherBytes(segments, size) }]
  const headers: Record<string, string | number> = {
    'content-type': contentType,
    'accept-ranges': 'bytes',
    etag: `"${node.blob.sha1}"`,
    'last-modified': new Date(node.updatedAt).toUTCString(),
  }
  const disposition = url.searchParams.get('response-content-disposition')
  if (disposition) headers['content-disposition'] = disposition
  await sendRange(req, res, state, segments, size, headers)
}

/** The file's size in other bytes (each one inverted); listed URLs are for files under 5 MB, so memory is bounded. */
async function otherBytes(segments: Segment[], size: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of readSegments(segments, 0, size)) chunks.push(chunk)
  return Buffer.from(Buffer.concat(chunks, size).map((b) => b ^ 0xff))
}

/** Answers a GET/HEAD of `segments` with Range support (206, 416) and the given headers. */
export async function sendRange(
  req: IncomingMessage,
  res: ServerResponse,
  state: EmulatorState,
  segments: Segment[],
  size: number,
  headers: Record<string, string | number>,
): Promise<void> {
  const method = req.method ?? 'GET'
  const range = parseRange(req.headers.range, size)
  if (range === 'unsatisfiable') {
    res.setHeader('content-range', `bytes */${size}`)
    return sendOssError(res, 416, 'InvalidRange', 'The requested range cannot be satisfied.')
  }
  const start = range?.start ?? 0
  const end = range?.end ?? size
  if (range) headers['content-range'] = `bytes ${start}-${end - 1}/${size}`
  headers['content-length'] = end - start
  res.writeHead(range ? 206 : 200, headers)
  state.stats.downloads++
  if (method === 'HEAD') return void res.end()
  state.stats.downloadBytes += end - start
  try {
    await pipeline(Readable.from(readSegments(segments, start, end)), res)
  } catch {
    // The client closed the connection early (a player seeking, an aborted read): nothing to clean up.
  }
}

export function lookupPreview(state: EmulatorState, url: URL): FileNode | undefined {
  return lookup(state, PREVIEW_PREFIX, url)
}
