/**
 * What identifies a local file for resuming an upload: its path, size, modification time and the SHA-1 of its first
 * and last MiB. Cheap (two reads of at most 1 MiB) and catches the usual changes — a file rewritten in place, appended
 * to, or replaced by another of the same size — without hashing gigabytes before the first byte is sent. A wrong
 * resume that slips through is still caught by the whole-file SHA-1 check after `complete`.
 */
import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { UploadSourceIdentity } from '../../host/types.js'

const EDGE_BYTES = 1024 * 1024

export async function fileIdentity(path: string, size: number, mtimeMs: number): Promise<UploadSourceIdentity> {
  const h = await open(path, 'r')
  try {
    const edge = async (start: number): Promise<string> => {
      const buf = Buffer.alloc(Math.min(EDGE_BYTES, size))
      let filled = 0
      while (filled < buf.byteLength) {
        const { bytesRead } = await h.read(buf, filled, buf.byteLength - filled, start + filled)
        if (bytesRead === 0) break
        filled += bytesRead
      }
      return createHash('sha1').update(buf.subarray(0, filled)).digest('hex')
    }
    return {
      path: resolve(path),
      size,
      mtimeMs,
      headSha1: await edge(0),
      tailSha1: await edge(Math.max(0, size - EDGE_BYTES)),
    }
  } finally {
    await h.close()
  }
}

export function sameIdentity(a: UploadSourceIdentity, b: UploadSourceIdentity): boolean {
  return (
    a.path === b.path &&
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.headSha1 === b.headSha1 &&
    a.tailSha1 === b.tailSha1
  )
}
