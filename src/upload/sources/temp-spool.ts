/**
 * A temporary file that holds bytes of a non-seekable input once random access is needed (docs/contract.md §2
 * `fromStream`; docs/peers-and-pains.md #16: temp copies must never linger). Each spool lives in its own directory made by
 * mkdtemp, so removing it cannot touch anyone else's files; `dispose` is idempotent and never throws.
 */
import { readSync as fsReadSync } from 'node:fs'
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { throwIfAborted } from '../../errors/index.js'
import { READ_CHUNK } from './internal-source.js'

export const SPOOL_DIR_PREFIX = 'aliyundrive-open-spool-'

export class TempSpool {
  written = 0
  private disposed = false

  private constructor(
    readonly dir: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(parentDir: string = tmpdir()): Promise<TempSpool> {
    const dir = await mkdtemp(join(parentDir, SPOOL_DIR_PREFIX))
    try {
      return new TempSpool(dir, await open(join(dir, 'content'), 'w+', 0o600))
    } catch (e) {
      await rm(dir, { recursive: true, force: true })
      throw e
    }
  }

  async append(chunk: Uint8Array): Promise<void> {
    let off = 0
    while (off < chunk.byteLength) {
      const { bytesWritten } = await this.handle.write(chunk, off, chunk.byteLength - off, this.written)
      off += bytesWritten
      this.written += bytesWritten
    }
  }

  async *read(start: number, end: number, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    let pos = start
    const stop = Math.min(end, this.written)
    while (pos < stop) {
      throwIfAborted(signal)
      const buf = Buffer.allocUnsafeSlow(Math.min(READ_CHUNK, stop - pos))
      const { bytesRead } = await this.handle.read(buf, 0, buf.byteLength, pos)
      if (bytesRead === 0) return
      pos += bytesRead
      yield buf.subarray(0, bytesRead)
    }
  }

  readSync(start: number, end: number): Uint8Array {
    const buf = Buffer.alloc(Math.max(0, Math.min(end, this.written) - start))
    const n = fsReadSync(this.handle.fd, buf, 0, buf.byteLength, start)
    return buf.subarray(0, n)
  }

  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    await this.handle.close().catch(() => {})
    await rm(this.dir, { recursive: true, force: true }).catch(() => {})
  }
}
