/**
 * `PUT <upload_url>` (docs/api-notes.md §6.3): no Content-Type allowed (the signature covers an empty one), parts strictly in
 * order (400 PartNotSequential), a stored part answers 409 PartAlreadyExist, expired URLs 403. Bodies may be
 * chunked or have a Content-Length; with a storage directory they are streamed straight to a file, so a part never
 * sits in memory. The content SHA-1 is advanced on a copy of the session hash and committed only on success.
 */
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createWriteStream, rmSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import { sendOssError } from '../http-io.js'
import type { Segment } from '../state/blob-store.js'
import type { EmulatorState } from '../state/emulator-state.js'
import { MAX_PART_NUMBER, type UploadSession } from '../state/upload-session.js'
import { checkSignedUrl } from './oss-checks.js'
import { UPLOAD_PREFIX } from './urls.js'

interface Sink {
  write(chunk: Buffer): Promise<void>
  finish(): Promise<Segment>
  discard(): void
}

function memorySink(): Sink {
  const chunks: Buffer[] = []
  return {
    async write(c) {
      chunks.push(c)
    },
    async finish() {
      return { kind: 'mem', data: Buffer.concat(chunks) }
    },
    discard() {
      chunks.length = 0
    },
  }
}

function fileSink(dir: string, s: UploadSession, n: number): Sink {
  const path = join(dir, `${s.uploadId}-${n}-${randomBytes(4).toString('hex')}.part`)
  const ws = createWriteStream(path)
  // Without a listener, a stream error is an uncaught exception: discard() destroying the stream while a write was
  // still in flight (a dropped or failed part) used to kill the whole emulator process.
  let failed: Error | undefined
  ws.on('error', (e) => {
    failed ??= e
  })
  let size = 0
  return {
    async write(c) {
      if (failed) throw failed
      size += c.byteLength
      if (!ws.write(c)) await once(ws, 'drain')
    },
    async finish() {
      if (failed) throw failed
      ws.end()
      await once(ws, 'finish')
      return { kind: 'file', path, size }
    },
    discard() {
      ws.destroy()
      rmSync(path, { force: true })
    },
  }
}

export async function handlePartPut(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  state: EmulatorState,
): Promise<void> {
  state.stats.partPuts++
  if (!checkSignedUrl(state, 'PUT', url, res)) return
  const contentType = req.headers['content-type']
  if (contentType !== undefined && contentType !== '') {
    return sendOssError(
      res,
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
      {
        StringToSign: `PUT\n\n${contentType}\n`,
      },
    )
  }
  const [driveId, fileId, uploadId] = url.pathname.slice(UPLOAD_PREFIX.length).split('/')
  state.expireUploads()
  const s = state.uploads.get(uploadId ?? '')
  if (!s || s.driveId !== driveId || s.fileId !== fileId || s.state !== 'uploading') {
    return sendOssError(res, 404, 'NoSuchUpload', 'The specified upload does not exist.')
  }
  const n = Number(url.searchParams.get('partNumber'))
  if (!Number.isInteger(n) || n < 1 || n > MAX_PART_NUMBER) {
    return sendOssError(res, 400, 'InvalidArgument', `Part number must be an integer between 1 and ${MAX_PART_NUMBER}.`)
  }
  if (s.parts.has(n))
    return sendOssError(res, 409, 'PartAlreadyExist', 'Part already exists.', { PartNumber: String(n) })
  if (s.inflight.has(n)) {
    // A duplicate PUT racing the first one: retryable, so a client retries and then gets 409 for the stored part.
    return sendOssError(res, 503, 'ServiceUnavailable', 'The part is being uploaded; retry later.')
  }
  if (n > 1 && !s.parts.has(n - 1)) {
    return sendOssError(
      res,
      400,
      'PartNotSequential',
      `Part ${n} arrived before part ${n - 1}; parts must be uploaded in order.`,
    )
  }
  const fails = state.faults.nextPartFails()
  s.inflight.add(n)
  const dir = state.blobs.storageDir
  const sink = dir ? fileSink(dir, s, n) : memorySink()
  const hash = s.hash.copy()
  let head = s.head
  let size = 0
  try {
    for await (const chunk of req) {
      const buf = chunk as Buffer
      hash.update(buf)
      if (head.length < 1024) head = Buffer.concat([head, buf.subarray(0, 1024 - head.length)])
      size += buf.byteLength
      state.stats.partBytes += buf.byteLength
      await sink.write(buf)
    }
    if (fails) {
      sink.discard()
      return sendOssError(res, 500, 'InternalError', 'We encountered an internal error. Please try again.')
    }
    const segment = await sink.finish()
    if (s.state !== 'uploading' || !state.uploads.has(s.uploadId)) {
      // Completed or deleted while this part streamed: it can no longer belong to the file.
      sink.discard()
      return sendOssError(res, 404, 'NoSuchUpload', 'The specified upload does not exist.')
    }
    // OSS's part ETag is the part's MD5, but no client sends part ETags back (docs/api-notes.md §6.3) and a second hash over every
    // byte doubled the emulator's CPU per uploaded GiB (bench/RESULTS.md): the ETag keeps OSS's shape (32 upper-case
    // hex) and is derived from the running SHA-1, so it still changes with the content and the position.
    const etag = `"${hash.copy().digest('hex').slice(0, 32).toUpperCase()}"`
    s.commitPart({ partNumber: n, size, etag, segment }, hash, head)
    res.writeHead(200, { etag, 'content-length': 0, 'x-oss-hash-crc64ecma': '0' })
    res.end()
  } catch {
    // The client went away mid-body: nothing of this part is kept.
    sink.discard()
    if (!res.headersSent) res.destroy()
  } finally {
    s.inflight.delete(n)
  }
}
