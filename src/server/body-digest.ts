/**
 * SHA-1 and MD5 of a request body, taken as the upload reads it (no second pass, nothing kept). The SHA-1 lets a
 * handler check a body against the checksum its client announced; the MD5 is what ownCloud clients compare when
 * the server offers it (docs/host-notes.md §6). Both are only meaningful once every byte went through.
 */
import { createHash } from 'node:crypto'

export class BodyDigest {
  private readonly sha1
  private readonly md5
  private bytes = 0
  private done: { sha1?: string; md5?: string } | undefined

  /**
   * `claimed`: the hashes the client announced. The upload checks the body against them, so they are the body's
   * when the upload succeeds, and a second pass of either over a large body would only cost time.
   */
  constructor(private readonly claimed: { sha1?: string; md5?: string } = {}) {
    this.sha1 = claimed.sha1 ? undefined : createHash('sha1')
    this.md5 = claimed.md5 ? undefined : createHash('md5')
  }

  readonly update = (chunk: Uint8Array): void => {
    if (this.done) throw new Error('BodyDigest: bytes after the digest was taken')
    this.sha1?.update(chunk)
    this.md5?.update(chunk)
    this.bytes += chunk.byteLength
  }

  /** The digests when exactly `size` bytes went through, else undefined (a body cut short or not read to its end). */
  result(size: number): { sha1: string; md5: string } | undefined {
    if (this.bytes !== size) return undefined
    this.done ??= {
      ...(this.sha1 ? { sha1: this.sha1.digest('hex') } : {}),
      ...(this.md5 ? { md5: this.md5.digest('hex') } : {}),
    }
    const sha1 = this.done.sha1 ?? this.claimed.sha1
    const md5 = this.done.md5 ?? this.claimed.md5
    return sha1 && md5 ? { sha1, md5 } : undefined
  }
}
