/**
 * A file source (docs/contract.md §2 `fromFile`): random access by offset through one lazily opened handle, size and times from
 * `stat`. Nothing is read unless asked for. A file that changes while it is uploaded (size or mtime) fails the upload
 * instead of producing a silently mixed file (docs/peers-and-pains.md #15).
 */
import { statSync, readSync as fsReadSync } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { basename } from 'node:path'
import { DriverError, throwIfAborted } from '../../errors/index.js'
import type { UploadSource } from '../../host/types.js'
import type { SourceMetaOptions } from './from-buffer.js'
import { fileIdentity } from './file-identity.js'
import { READ_CHUNK, type InternalSource } from './internal-source.js'

export interface FromFileOptions extends SourceMetaOptions {
  /** Defaults to the basename of `path`. */
  name?: string
}

export function fromFile(path: string, opts: FromFileOptions = {}): UploadSource {
  let initial: ReturnType<typeof statSync>
  try {
    initial = statSync(path)
  } catch (e) {
    const code = (e as { code?: string }).code
    throw new DriverError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'UPLOAD_FAILED',
      `Cannot upload ${path}: ${code ?? (e as Error).message}`,
      { cause: e },
    )
  }
  if (!initial.isFile()) throw new DriverError('UPLOAD_FAILED', `Cannot upload ${basename(path)}: not a regular file`)
  const size = initial.size
  let handle: FileHandle | undefined
  let opening: Promise<FileHandle> | undefined

  const getHandle = (): Promise<FileHandle> => {
    if (handle) return Promise.resolve(handle)
    opening ??= open(path, 'r').then((h) => (handle = h))
    return opening
  }

  const checkUnchanged = async (h: FileHandle): Promise<void> => {
    const now = await h.stat()
    if (now.size !== size || now.mtimeMs !== initial.mtimeMs) {
      throw new DriverError(
        'UPLOAD_FAILED',
        `${basename(path)} changed while it was being uploaded (size ${size} → ${now.size})`,
      )
    }
  }

  const source: InternalSource = {
    name: opts.name ?? basename(path),
    size,
    modified: opts.modified ?? initial.mtime,
    created: opts.created ?? initial.birthtime,
    ...(opts.sha1 ? { sha1: opts.sha1 } : {}),
    async *read(start: number, end: number, signal?: AbortSignal) {
      const h = await getHandle()
      let pos = start
      const stop = Math.min(end, size)
      while (pos < stop) {
        throwIfAborted(signal)
        // A fresh buffer per chunk: the consumer may keep it (a buffered part) while we read the next one.
        const buf = Buffer.allocUnsafeSlow(Math.min(READ_CHUNK, stop - pos))
        const { bytesRead } = await h.read(buf, 0, buf.byteLength, pos)
        if (bytesRead === 0) return // truncated under us: the consumer sees the short count and names the part
        pos += bytesRead
        yield bytesRead === buf.byteLength ? buf : buf.subarray(0, bytesRead)
      }
    },
    async readInto(target: Uint8Array, position: number, signal?: AbortSignal) {
      const h = await getHandle()
      let filled = 0
      while (filled < target.byteLength) {
        throwIfAborted(signal)
        const { bytesRead } = await h.read(
          target,
          filled,
          Math.min(READ_CHUNK, target.byteLength - filled),
          position + filled,
        )
        if (bytesRead === 0) break
        filled += bytesRead
      }
      return filled
    },
    identity: () => fileIdentity(path, size, initial.mtimeMs),
    async verifyEnd() {
      await checkUnchanged(await getHandle())
    },
    async prepareRandomAccess() {
      await getHandle()
      return false
    },
    readSync(start: number, end: number) {
      if (!handle) throw new Error('fromFile: readSync before prepareRandomAccess')
      const buf = Buffer.alloc(end - start)
      const n = fsReadSync(handle.fd, buf, 0, buf.byteLength, start)
      return buf.subarray(0, n)
    },
    async dispose() {
      const h = handle ?? (opening ? await opening.catch(() => undefined) : undefined)
      handle = undefined
      opening = undefined
      await h?.close().catch(() => {})
    },
  }
  return source
}
