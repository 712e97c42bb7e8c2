/**
 * PUT /api/fs/form: the web UI's "Form" upload, multipart/form-data with the file in the field `file` and the target
 * in `File-Path` (as /api/fs/put). The multipart body is parsed by busboy as it arrives and the file part streamed
 * to a temp file (its size, which the upload needs first, is known only at the end of the part), never held in memory.
 */
import { createHash, type Hash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import busboy from 'busboy'
import { DriverError } from '../../errors/index.js'
import { fromFile } from '../../upload/index.js'
import type { ServerContext } from '../context.js'
import { headerValue } from '../http-io.js'
import { cleanPath, nameOf, parentOf } from '../safe-path.js'
import { announcedFileHashes, decodeFilePath, fileHashRefused } from './fs-put.js'
import { scratchDir } from '../scratch-dir.js'

/** Streams the `file` part into `file`, hashing it; rejects when the body has none or is not multipart. */
function receiveFilePart(req: IncomingMessage, file: string, hashes: Hash[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 32 } })
    } catch (e) {
      return reject(new DriverError('NOT_SUPPORTED', `the body is not multipart/form-data: ${(e as Error).message}`))
    }
    let writing: Promise<void> | undefined
    parser.on('file', (field, stream) => {
      if (field !== 'file' || writing) return void stream.resume()
      const hashed = async function* (part: AsyncIterable<Buffer>) {
        for await (const chunk of part) {
          for (const hash of hashes) hash.update(chunk)
          yield chunk
        }
      }
      writing = pipeline(stream, hashed, createWriteStream(file, { mode: 0o600 }))
    })
    parser.on('error', (e: Error) => reject(new DriverError('NOT_SUPPORTED', `bad multipart body: ${e.message}`)))
    // A client that goes away mid-body leaves busboy waiting for the rest forever.
    req.once('close', () => {
      if (!req.complete) reject(new DriverError('ABORTED', 'the client closed the connection before the upload ended'))
    })
    parser.on('close', () => {
      if (!writing) return reject(new DriverError('NOT_SUPPORTED', 'the multipart body has no "file" field'))
      writing.then(resolve, reject)
    })
    req.pipe(parser)
  })
}

export async function fsForm(ctx: ServerContext, req: IncomingMessage): Promise<void> {
  const header = headerValue(req.headers['file-path'])
  if (!header) throw new DriverError('NOT_SUPPORTED', 'the File-Path header is required')
  const path = cleanPath(decodeFilePath(header))
  if (path === '/') throw new DriverError('NOT_SUPPORTED', 'File-Path must name a file')
  const overwrite = headerValue(req.headers.overwrite) !== 'false'
  const announced = announcedFileHashes(req)
  const sha1 = announced.sha1
  const existing = await ctx.fs.tryStat(path)
  if (existing?.isFolder) throw new DriverError('ALREADY_EXISTS', `"${path}" is a folder`)
  if (existing && !overwrite) throw new DriverError('ALREADY_EXISTS', `"${path}" already exists`)
  const dir = await mkdtemp(join(await scratchDir(), 'aliyundrive-open-form-'))
  try {
    const file = join(dir, 'body')
    const hashes = { sha1: createHash('sha1'), ...(announced.md5 ? { md5: createHash('md5') } : {}) }
    await receiveFilePart(req, file, Object.values(hashes))
    // The announced hashes are checked against the part received, before anything is created; then the SHA-1 lets
    // rapid upload skip hashing the file again (docs/host-notes.md §6, §9).
    if (sha1 && sha1 !== hashes.sha1.digest('hex')) throw fileHashRefused('sha1')
    if (announced.md5 && announced.md5 !== hashes.md5?.digest('hex')) throw fileHashRefused('md5')
    const ms = Number(headerValue(req.headers['last-modified']))
    const modified = Number.isFinite(ms) && ms > 0 && !Number.isNaN(new Date(ms).getTime()) ? new Date(ms) : undefined
    const source = fromFile(file, { name: nameOf(path), ...(sha1 ? { sha1 } : {}), ...(modified ? { modified } : {}) })
    try {
      // The body is spooled first, so the path's lock (shared with WebDAV and /api/fs/put) is held only for the
      // check and the upload, not while a slow client sends; the check is repeated inside it.
      await ctx.pathLock.run([path], async () => {
        const now = await ctx.fs.tryStat(path)
        if (now?.isFolder) throw new DriverError('ALREADY_EXISTS', `"${path}" is a folder`)
        if (now && !overwrite) throw new DriverError('ALREADY_EXISTS', `"${path}" already exists`)
        await ctx.fs.upload(await ctx.fs.mkdirp(parentOf(path)), source, { conflict: 'overwrite' })
      })
    } finally {
      await source.dispose?.()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
