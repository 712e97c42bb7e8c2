/**
 * The "transcoded" stream behind `getVideoPreviewPlayInfo` URLs: an HLS playlist (`<template>.m3u8`) and its media
 * (`<template>.mp4`), both signed like download URLs. No transcoding happens: the media is the original file, which
 * players can use as one HLS segment when it is a fragmented MP4 (init = ftyp+moov, then moof/mdat pairs), as the
 * demo video is. AliyunDrive's preview CDN answers with CORS headers (OpenList's web UI plays these URLs from its own
 * origin with hls.js), so these do too; download URLs do not.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendOssError } from '../http-io.js'
import { readSegments } from '../state/blob-store.js'
import type { FileNode } from '../state/drive-tree.js'
import type { EmulatorState } from '../state/emulator-state.js'
import { lookupPreview, sendRange } from './download-get.js'
import { checkSignedUrl } from './oss-checks.js'
import { PREVIEW_PREFIX, downloadUrl } from './urls.js'

const CORS = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'Content-Length, Content-Range' }
const HEAD_BYTES = 256 * 1024

/** Byte length of ftyp+moov when the file is a fragmented MP4 (a moof follows), else undefined. */
async function fragmentedInitLength(node: FileNode): Promise<number | undefined> {
  const blob = node.blob
  if (!blob) return undefined
  const chunks: Buffer[] = []
  for await (const c of readSegments(blob.segments, 0, Math.min(blob.size, HEAD_BYTES))) chunks.push(c)
  const head = Buffer.concat(chunks)
  let offset = 0
  let sawMoov = false
  while (offset + 8 <= head.length) {
    const size = head.readUInt32BE(offset)
    const type = head.toString('latin1', offset + 4, offset + 8)
    if (type === 'moof') return sawMoov ? offset : undefined
    if (type === 'moov') sawMoov = true
    if (size < 8) return undefined
    offset += size
  }
  return undefined
}

function mediaUrl(state: EmulatorState, node: FileNode, template: string, expires: number): string {
  return state.signer.sign('GET', `${PREVIEW_PREFIX}${node.driveId}/${node.fileId}/${template}.mp4`, {}, expires)
}

export async function handlePreview(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  state: EmulatorState,
): Promise<void> {
  if (!checkSignedUrl(state, req.method ?? 'GET', url, res)) return
  const node = lookupPreview(state, url)
  if (!node?.blob) return sendOssError(res, 404, 'NoSuchKey', 'The specified key does not exist.')
  const expires = Number(url.searchParams.get('x-oss-expires'))
  const template = url.pathname.slice(url.pathname.lastIndexOf('/') + 1).replace(/\.(m3u8|mp4)$/, '')
  if (url.pathname.endsWith('.mp4')) {
    return sendRange(req, res, state, node.blob.segments, node.blob.size, {
      ...CORS,
      'content-type': 'video/mp4',
      'accept-ranges': 'bytes',
      etag: `"${node.blob.sha1}"`,
    })
  }
  const init = await fragmentedInitLength(node)
  const media = mediaUrl(state, node, template, expires)
  const lines =
    init === undefined
      ? [
          '#EXTM3U',
          '#EXT-X-VERSION:3',
          '#EXT-X-TARGETDURATION:10',
          '#EXT-X-MEDIA-SEQUENCE:0',
          '#EXTINF:10.000,',
          downloadUrl(state, node, expires),
        ]
      : [
          '#EXTM3U',
          '#EXT-X-VERSION:7',
          '#EXT-X-TARGETDURATION:10',
          '#EXT-X-MEDIA-SEQUENCE:0',
          '#EXT-X-PLAYLIST-TYPE:VOD',
          `#EXT-X-MAP:URI="${media}",BYTERANGE="${init}@0"`,
          '#EXTINF:10.000,',
          `#EXT-X-BYTERANGE:${node.blob.size - init}@${init}`,
          media,
        ]
  const body = `${[...lines, '#EXT-X-ENDLIST'].join('\n')}\n`
  res.writeHead(200, {
    ...CORS,
    'content-type': 'application/vnd.apple.mpegurl',
    'content-length': Buffer.byteLength(body),
  })
  res.end(req.method === 'HEAD' ? undefined : body)
}
