/**
 * PUT /api/fs/put: the raw body is the file, `File-Path` names it. OpenList's driver sends File-Path *unencoded*
 * (UTF-8 bytes in a header) and Node exposes header bytes as latin1, so we re-decode them as UTF-8, then
 * percent-decode like the real server's url.PathUnescape (clients such as OpenList's web UI do encode), falling back
 * to the raw text when it is not valid percent-encoding ('100% done.txt').
 */
import type { IncomingMessage } from 'node:http'
import { DriverError } from '../../errors/index.js'
import { isAnnouncedHashMismatch, mismatchedAlgorithm, type AnnouncedAlgorithm } from '../../upload/index.js'
import { ChecksumRefusedError } from '../server-errors.js'
import { bodySource, checkAnnouncedSize } from '../body-source.js'
import type { ServerContext } from '../context.js'
import { headerValue } from '../http-io.js'
import { cleanPath, nameOf, parentOf } from '../safe-path.js'

export function decodeFilePath(header: string): string {
  const utf8 = Buffer.from(header, 'latin1').toString('utf8')
  // Bytes that were not UTF-8 after all (a client that did send latin1): keep the header as it came.
  const text = utf8.includes('\uFFFD') ? header : utf8
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

export async function fsPut(ctx: ServerContext, req: IncomingMessage): Promise<void> {
  checkAnnouncedSize(req)
  const header = headerValue(req.headers['file-path'])
  if (!header) throw new DriverError('NOT_SUPPORTED', 'the File-Path header is required')
  const path = cleanPath(decodeFilePath(header))
  const name = nameOf(path)
  if (path === '/') throw new DriverError('NOT_SUPPORTED', 'File-Path must name a file')
  // OpenList's op.Put creates the parent folders first; so do we.
  const dir = await ctx.fs.mkdirp(parentOf(path))
  const overwrite = headerValue(req.headers.overwrite) !== 'false'
  // Serialized with every other write to this path (WebDAV included): the existence check and the upload are one step.
  await ctx.pathLock.run([path], async () => {
    const existing = await ctx.fs.tryStat(path)
    if (existing?.isFolder) throw new DriverError('ALREADY_EXISTS', `"${path}" is a folder`)
    if (existing && !overwrite) throw new DriverError('ALREADY_EXISTS', `"${path}" already exists`)
    const hashes = announcedFileHashes(req)
    const modified = modifiedFrom(headerValue(req.headers['last-modified']))
    // The announced SHA-1 turns rapid upload on; the bytes received are checked against it and an announced MD5
    // before anything is completed (a spooled chunked body in bodySource, a streamed one in the upload engine).
    try {
      const source = await bodySource(req, { name, ...hashes, ...(modified ? { modified } : {}) })
      try {
        await ctx.fs.upload(dir, source, { conflict: 'overwrite' })
      } finally {
        await source.dispose?.()
      }
    } catch (e) {
      if (isAnnouncedHashMismatch(e)) throw fileHashRefused(mismatchedAlgorithm(e)!)
      throw e
    }
  })
}

/**
 * OpenList's Last-Modified header: Unix milliseconds. Anything that is not a representable date is ignored: a value
 * past year 275760 made an Invalid Date whose toISOString threw mid-upload, a 500 for a client's bad header.
 */
function modifiedFrom(header: string | undefined): Date | undefined {
  const ms = Number(header)
  if (!Number.isFinite(ms) || ms <= 0) return undefined
  const date = new Date(ms)
  return Number.isNaN(date.getTime()) ? undefined : date
}

const FILE_HASH_HEADERS: Record<AnnouncedAlgorithm, { header: string; digits: number }> = {
  sha1: { header: 'X-File-Sha1', digits: 40 },
  md5: { header: 'X-File-Md5', digits: 32 },
}

/**
 * OpenList's `X-File-Sha1` and `X-File-Md5` (its upload handler reads them; its web UI sends them when "rapid
 * upload" is on): 40 and 32 hex digits. Anything else is refused naming the header rather than ignored; both are
 * checked against the bytes received (docs/host-notes.md §9).
 */
export function announcedFileHashes(req: IncomingMessage): { sha1?: string; md5?: string } {
  const found: { sha1?: string; md5?: string } = {}
  for (const algorithm of ['sha1', 'md5'] as const) {
    const { header, digits } = FILE_HASH_HEADERS[algorithm]
    const value = headerValue(req.headers[header.toLowerCase()])?.trim()
    if (!value) continue
    if (!new RegExp(`^[0-9a-f]{${digits}}$`, 'i').test(value))
      throw new DriverError('NOT_SUPPORTED', `${header} must be ${digits} hex digits`)
    found[algorithm] = value.toLowerCase()
  }
  return found
}

export function fileHashRefused(algorithm: AnnouncedAlgorithm): ChecksumRefusedError {
  const { header } = FILE_HASH_HEADERS[algorithm]
  return new ChecksumRefusedError(`the body does not match its ${header} header; nothing was stored`)
}
