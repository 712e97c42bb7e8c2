/** An in-memory source (docs/contract.md §2 `fromBuffer`): zero-copy views of the caller's bytes. */
import type { UploadSource } from '../../host/types.js'
import type { InternalSource } from './internal-source.js'

export interface SourceMetaOptions {
  modified?: Date
  created?: Date
  /** A known SHA-1 (any case) lets rapid upload skip hashing. */
  sha1?: string
}

export function fromBuffer(bytes: Uint8Array | string, name: string, opts: SourceMetaOptions = {}): UploadSource {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes
  const source: InternalSource = {
    name,
    size: data.byteLength,
    ...(opts.modified ? { modified: opts.modified } : {}),
    ...(opts.created ? { created: opts.created } : {}),
    ...(opts.sha1 ? { sha1: opts.sha1 } : {}),
    async *read(start: number, end: number) {
      if (end > start) yield data.subarray(start, Math.min(end, data.byteLength))
    },
    async prepareRandomAccess() {
      return false
    },
    readSync(start: number, end: number) {
      return data.subarray(start, end)
    },
    async dispose() {},
  }
  return source
}
