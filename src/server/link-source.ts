/**
 * Another storage's file as an upload source, for copies between storages (cross-mount-copy.ts). Its SHA-1 is the
 * service's own and goes along, so the upload first tries rapid upload: the 8 proof bytes are read with one Range
 * request from the file's download link (`readProof`), and nothing else is downloaded when the target links the
 * content. Only when it does not are the bytes streamed, from one GET opened on the first read (fromStream: one part
 * in memory at a time, whatever the size).
 */
import { DriverError } from '../errors/index.js'
import type { Obj, UploadSource } from '../host/types.js'
import { dataGet, readAll, type DataResponse } from '../http/data-plane/index.js'
import { fromStream, type ProofReader } from '../upload/index.js'
import type { DriveFsService } from './fs-service.js'

export function fromLink(src: DriveFsService, file: Obj): UploadSource & ProofReader {
  const controller = new AbortController()
  let opened: Promise<UploadSource> | undefined

  const get = async (range?: { start: number; end: number }, signal?: AbortSignal): Promise<DataResponse> => {
    const link = await src.link(file)
    const signals = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal
    const label = `copying "${file.path}" between storages: the download`
    const res = await dataGet(link.url, {
      headers: link.headers ?? {},
      ...(range ? { range: { start: range.start, end: range.end - 1 } } : {}),
      signal: signals,
      label,
    })
    const ok = res.statusCode >= 200 && res.statusCode < 300
    if (!ok || (range && res.statusCode !== 206)) {
      res.resume()
      throw new DriverError(
        'UPSTREAM',
        `${label} answered HTTP ${res.statusCode}` + (range && ok ? ' to a Range request' : ''),
      )
    }
    return res
  }

  const open = async (): Promise<UploadSource> => {
    const res = await get()
    return fromStream(res, { name: file.name, size: file.size })
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
      return new Uint8Array(await readAll(await get({ start, end }, signal)))
    },
    async dispose() {
      const inner = await opened?.catch(() => undefined)
      await inner?.dispose?.()
      controller.abort()
    },
  }
}
