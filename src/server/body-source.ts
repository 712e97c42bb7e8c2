/**
 * An HTTP request body as an UploadSource. With Content-Length the body is streamed straight into the upload
 * (`fromStream` keeps only the first KiB and spools only if rapid upload needs random access); without it (chunked
 * PUT) the size the API needs up front is unknown, so the body is spooled to a temp file first.
 */
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { UploadSource } from '../host/types.js'
import { announcedHashMismatch, fromFile, fromStream, MAX_PARTS } from '../upload/index.js'
import { PayloadTooLargeError } from './server-errors.js'
import { contentLength } from './http-io.js'
import { scratchDir } from './scratch-dir.js'

/**
 * The largest file an upload can carry: 10,000 parts of at most 5 GiB (docs/api-notes.md §6.2), about 48.8 TiB.
 * `Content-Length: 999999999999999` used to reach the part planner and come back as a 500.
 */
export const MAX_UPLOAD_BYTES = MAX_PARTS * 5 * 1024 ** 3

/** Refuses, before anything is created, a body that announces more than any upload can carry. */
export function checkAnnouncedSize(req: IncomingMessage): void {
  const size = contentLength(req)
  if (size !== undefined && size > MAX_UPLOAD_BYTES)
    throw new PayloadTooLargeError(
      `Content-Length ${size} is larger than the largest file AliyunDrive accepts (${MAX_UPLOAD_BYTES} bytes: ` +
        `${MAX_PARTS} parts of 5 GiB)`,
    )
  if (size === undefined && req.headers['content-length'] !== undefined)
    throw new PayloadTooLargeError(`Content-Length ${req.headers['content-length']} is not a size this server can take`)
}

export interface BodyMeta {
  name: string
  sha1?: string
  /** An MD5 the client announced: checked like `sha1` against the bytes received (upload/sources/announced-hash.ts). */
  md5?: string
  modified?: Date
  /** Sees every byte of the body as the upload reads it (body-digest.ts). */
  tap?: (chunk: Uint8Array) => void
}

/**
 * The request's own async iterator, minus the power to destroy it. A failed upload disposes its source, and
 * fromStream then destroys the stream it was given; for the request that closed the socket before the error answer
 * was written, so the client saw a reset instead of a status and a message. The handler drains the rest instead.
 */
function undestroyable(req: IncomingMessage, tap?: (chunk: Uint8Array) => void): AsyncIterable<unknown> {
  if (!tap) return { [Symbol.asyncIterator]: () => req.iterator({ destroyOnReturn: false }) }
  return {
    async *[Symbol.asyncIterator]() {
      for await (const chunk of req.iterator({ destroyOnReturn: false })) {
        tap(chunk as Uint8Array)
        yield chunk
      }
    },
  }
}

export async function bodySource(req: IncomingMessage, meta: BodyMeta): Promise<UploadSource> {
  const opts = { ...(meta.sha1 ? { sha1: meta.sha1 } : {}), ...(meta.modified ? { modified: meta.modified } : {}) }
  const size = contentLength(req)
  if (size !== undefined) {
    const md5 = meta.md5 ? { md5: meta.md5 } : {}
    return fromStream(undestroyable(req, meta.tap), { name: meta.name, size, ...opts, ...md5 })
  }
  const dir = await mkdtemp(join(await scratchDir(), 'aliyundrive-open-put-'))
  try {
    const file = join(dir, 'body')
    const claims = (['sha1', 'md5'] as const).flatMap((algorithm) => {
      const announced = meta[algorithm]?.toLowerCase()
      return announced ? [{ algorithm, announced, hash: createHash(algorithm) }] : []
    })
    const tap = meta.tap
    async function* body() {
      for await (const chunk of req) {
        tap?.(chunk as Uint8Array)
        for (const c of claims) c.hash.update(chunk as Uint8Array)
        yield chunk as Uint8Array
      }
    }
    await pipeline(body, createWriteStream(file, { mode: 0o600 }))
    // A spooled body is a local file the engine would trust with its sha1: the claims are checked here instead.
    for (const c of claims) {
      const actual = c.hash.digest('hex')
      if (actual !== c.announced) throw announcedHashMismatch(meta.name, actual, c.announced, c.algorithm)
    }
    const source = fromFile(file, { name: meta.name, ...opts })
    const inner = source.dispose?.bind(source)
    let disposed = false
    source.dispose = async () => {
      if (disposed) return
      disposed = true
      await inner?.()
      await rm(dir, { recursive: true, force: true })
    }
    return source
  } catch (e) {
    await rm(dir, { recursive: true, force: true })
    throw e
  }
}
