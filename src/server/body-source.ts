/**
 * An HTTP request body as an UploadSource. With Content-Length the body is streamed straight into the upload
 * (`fromStream` keeps only the first KiB and spools only if rapid upload needs random access); without it (chunked
 * PUT) the size the API needs up front is unknown, so the body is spooled to a temp file first.
 */
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { UploadSource } from '../host/types.js'
import { fromFile, fromStream } from '../upload/index.js'
import { contentLength } from './http-util.js'
import { scratchDir } from './scratch-dir.js'

export interface BodyMeta {
  name: string
  sha1?: string
  modified?: Date
}

/**
 * The request's own async iterator, minus the power to destroy it. A failed upload disposes its source, and
 * fromStream then destroys the stream it was given; for the request that closed the socket before the error answer
 * was written, so the client saw a reset instead of a status and a message. The handler drains the rest instead.
 */
function undestroyable(req: IncomingMessage): AsyncIterable<unknown> {
  return { [Symbol.asyncIterator]: () => req.iterator({ destroyOnReturn: false }) }
}

export async function bodySource(req: IncomingMessage, meta: BodyMeta): Promise<UploadSource> {
  const opts = { ...(meta.sha1 ? { sha1: meta.sha1 } : {}), ...(meta.modified ? { modified: meta.modified } : {}) }
  const size = contentLength(req)
  if (size !== undefined) return fromStream(undestroyable(req), { name: meta.name, size, ...opts })
  const dir = await mkdtemp(join(await scratchDir(), 'aliyundrive-open-put-'))
  try {
    const file = join(dir, 'body')
    await pipeline(req, createWriteStream(file, { mode: 0o600 }))
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
