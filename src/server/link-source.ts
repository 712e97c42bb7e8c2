/**
 * Another storage's file as an upload source, for copies between storages (cross-mount-copy.ts). Its SHA-1 is the
 * service's own and goes along, so the upload first tries rapid upload: the 8 proof bytes are read with one Range
 * request from the file's download link (`readProof`), and nothing else is downloaded when the target links the
 * content. Only when it does not are the bytes streamed, from one GET opened on the first read (fromStream: one part
 * in memory at a time, whatever the size).
 */
import { DriverError } from '../errors/index.js'
import type { Obj, UploadSource } from '../host/types.js'
import { fromStream, type ProofReader } from '../upload/index.js'
import type { DriveFsService } from './fs-service.js'

export function fromLink(src: DriveFsService, file: Obj): UploadSource & ProofReader {
  const controller = new AbortController()
  let opened: Promise<UploadSource> | undefined

  const get = async (range?: { start: number; end: number }, signal?: AbortSignal): Promise<Response> => {
    const link = await src.link(file)
    const headers = { ...(link.headers ?? {}), ...(range ? { Range: `bytes=${range.start}-${range.end - 1}` } : {}) }
    const signals = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal
    let res: Response
    try {
      res = await fetch(link.url, { headers, signal: signals })
    } catch (e) {
      throw new DriverError(
        'NETWORK',
        `copying "${file.path}" between storages: the download failed: ${(e as Error).message}`,
      )
    }
    if (!res.ok || !res.body || (range && res.status !== 206)) {
      await res.body?.cancel()
      throw new DriverError(
        'UPSTREAM',
        `copying "${file.path}" between storages: the download answered HTTP ${res.status}` +
          (range && res.ok ? ' to a Range request' : ''),
      )
    }
    return res
  }

  const open = async (): Promise<UploadSource> => {
    const res = await get()
    return fromStream(res.body as unknown as AsyncIterable<Uint8Array>, { name: file.name, size: file.size })
  }

  return {
    name: file.name,
    size: file.size,
    modified: file.modified,
    created: file.created,
    ...(file.hashes.sha1 ? { sha1: file.hashes.sha1 } : {}),
    async *read(start: number, end: number, signal?: AbortSignal) {
      opened ??= open()
      yield* (await opened).read(start, end, signal)
    },
    async readProof(start: number, end: number, signal?: AbortSignal) {
      const res = await get({ start, end }, signal)
      return new Uint8Array(await res.arrayBuffer())
    },
    async dispose() {
      const inner = await opened?.catch(() => undefined)
      await inner?.dispose?.()
      controller.abort()
    },
  }
}
