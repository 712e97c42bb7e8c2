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

/** Bytes `queue` lets be written behind the caller's back before it waits for the disk. */
const MAX_QUEUED_BYTES = 16 * 1024 * 1024
/** Queued chunks are written together (one writev) once this many bytes are gathered: a socket hands 64 KiB at most. */
const BATCH_BYTES = 1024 * 1024

export class TempSpool {
  /** Bytes appended or queued; `flush` waits until they are all on the file. */
  written = 0
  private disposed = false
  private readonly writes = new Set<Promise<void>>()
  private queuedBytes = 0
  private failure: Error | undefined
  /** Queued chunks not handed to the disk yet, and where the first of them goes. */
  private batch: Uint8Array[] = []
  private batchBytes = 0

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
    await this.queue(chunk)
    await this.flush()
  }

  /**
   * Appends a chunk the caller will never change again, without waiting for the disk unless MAX_QUEUED_BYTES are
   * already on their way: a body received from a socket and spooled is read on while the previous chunks are
   * written, instead of one disk round trip per chunk (bench/rapid.ts). `flush` before reading them back.
   */
  async queue(chunk: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure
    this.written += chunk.byteLength
    this.batch.push(chunk)
    this.batchBytes += chunk.byteLength
    if (this.batchBytes >= BATCH_BYTES) this.writeBatch()
    while (this.queuedBytes > MAX_QUEUED_BYTES && this.writes.size > 0) await Promise.race(this.writes)
    // Read through a call: the check above narrowed the field, but a write may have failed during the awaits.
    const failure = this.failed()
    if (failure) throw failure
  }

  /** Hands the gathered chunks to the disk in one writev. */
  private writeBatch(): void {
    if (this.batchBytes === 0) return
    const chunks = this.batch
    const bytes = this.batchBytes
    const at = this.written - bytes
    this.batch = []
    this.batchBytes = 0
    this.queuedBytes += bytes
    const write = this.writevAt(chunks, bytes, at).then(
      () => {
        this.queuedBytes -= bytes
        this.writes.delete(write)
      },
      (e: unknown) => {
        this.failure ??= e instanceof Error ? e : new Error(`TempSpool: a write failed: ${String(e)}`)
        this.writes.delete(write)
      },
    )
    this.writes.add(write)
  }

  private failed(): Error | undefined {
    return this.failure
  }

  /** Resolves once every queued byte is on the file; rejects with a write's failure. */
  async flush(): Promise<void> {
    this.writeBatch()
    while (this.writes.size > 0) await Promise.all(this.writes)
    if (this.failure) throw this.failure
  }

  private async writevAt(chunks: Uint8Array[], bytes: number, at: number): Promise<void> {
    const { bytesWritten } = await this.handle.writev(chunks, at)
    if (bytesWritten === bytes) return
    // A short writev (rare on a file): the rest chunk by chunk.
    let pos = 0
    for (const chunk of chunks) {
      const end = pos + chunk.byteLength
      if (end > bytesWritten) {
        const from = Math.max(0, bytesWritten - pos)
        await this.writeAt(chunk.subarray(from), at + pos + from)
      }
      pos = end
    }
  }

  private async writeAt(chunk: Uint8Array, at: number): Promise<void> {
    let off = 0
    while (off < chunk.byteLength) {
      const { bytesWritten } = await this.handle.write(chunk, off, chunk.byteLength - off, at + off)
      off += bytesWritten
    }
  }

  async *read(start: number, end: number, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    await this.flush()
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
    if (this.writes.size > 0 || this.batchBytes > 0) throw new Error('TempSpool: readSync before flush')
    const buf = Buffer.alloc(Math.max(0, Math.min(end, this.written) - start))
    const n = fsReadSync(this.handle.fd, buf, 0, buf.byteLength, start)
    return buf.subarray(0, n)
  }

  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    await Promise.allSettled(this.writes)
    await this.handle.close().catch(() => {})
    await rm(this.dir, { recursive: true, force: true }).catch(() => {})
  }
}
