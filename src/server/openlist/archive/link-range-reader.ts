/**
 * yauzl's random-access reader over a file's download link. yauzl asks for the end-of-central-directory record, then
 * two small reads per central-directory entry and one per local header: unbuffered, that was two upstream GETs per
 * entry (8,000 entries → 16,001 GETs, RELIABILITY.md "Zip archives cost what they should"). Small reads are served
 * from aligned blocks of BLOCK bytes fetched once (single flight) and kept in a small LRU, so reading a central
 * directory of a few MB costs a few GETs. Entry data (large, read once) still streams straight from the link.
 */
import { PassThrough, type Readable } from 'node:stream'
import yauzl from 'yauzl'
import type { Obj } from '../../../host/types.js'
import { dataGet } from '../../../http/data-plane/index.js'
import type { FsService } from '../../fs-service.js'

const BLOCK = 1024 * 1024
/** Reads up to this size go through the blocks (yauzl's largest small read is the 64 KiB + 22 B tail). */
const SMALL_READ = 128 * 1024
/** Blocks kept per open zip: a central directory is read front to back, so a few are enough. */
const KEEP_BLOCKS = 8

type ReadCallback = (err: Error | null, bytesRead?: number) => void

export class LinkRangeReader extends yauzl.RandomAccessReader {
  private readonly blocks = new Map<number, Promise<Buffer>>()
  /** Upstream GETs made so far (blocks and streams): what the tests and the bench count. */
  gets = 0

  constructor(
    private readonly fs: FsService,
    private readonly file: Obj,
  ) {
    super()
  }

  private async open(start: number, end: number, signal: AbortSignal) {
    this.gets++
    const link = await this.fs.link(this.file)
    const res = await dataGet(link.url, {
      headers: link.headers ?? {},
      range: { start, end: end - 1 },
      signal,
      label: `reading the archive "${this.file.path}"`,
    })
    if (res.statusCode !== 206 && !(res.statusCode === 200 && start === 0 && end === this.file.size)) {
      res.resume()
      throw new Error(`range read of the archive answered HTTP ${res.statusCode}`)
    }
    return res
  }

  private block(index: number): Promise<Buffer> {
    const hit = this.blocks.get(index)
    if (hit) {
      // Most recently used goes last.
      this.blocks.delete(index)
      this.blocks.set(index, hit)
      return hit
    }
    const start = index * BLOCK
    const end = Math.min(this.file.size, start + BLOCK)
    const load = (async () => {
      const res = await this.open(start, end, new AbortController().signal)
      const chunks: Buffer[] = []
      for await (const c of res) chunks.push(c as Buffer)
      const buf = Buffer.concat(chunks)
      if (buf.length !== end - start)
        throw new Error(`range read of the archive returned ${buf.length} bytes, not ${end - start}`)
      return buf
    })()
    // A failed block is not kept: the failure is kept by the zip cache, for the whole archive (zip-cache.ts).
    load.catch(() => this.blocks.delete(index))
    this.blocks.set(index, load)
    while (this.blocks.size > KEEP_BLOCKS) this.blocks.delete(this.blocks.keys().next().value!)
    return load
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: ReadCallback): void {
    if (length > SMALL_READ) return super.read(buffer, offset, length, position, callback)
    void (async () => {
      const end = Math.min(position + length, this.file.size)
      let at = position
      while (at < end) {
        const index = Math.floor(at / BLOCK)
        const block = await this.block(index)
        const from = at - index * BLOCK
        const n = Math.min(end - at, block.length - from)
        block.copy(buffer, offset + (at - position), from, from + n)
        at += n
      }
      return Math.max(0, end - position)
    })().then(
      (n) => callback(null, n),
      (e: Error) => callback(e),
    )
  }

  override _readStreamForRange(start: number, end: number): Readable {
    // yauzl wants a stream back synchronously; the request starts when the link is known.
    const out = new PassThrough()
    const abort = new AbortController()
    out.once('close', () => abort.abort())
    this.open(start, end, abort.signal).then(
      (res) => {
        res.on('error', (e) => out.destroy(e))
        res.pipe(out)
      },
      (e: Error) => out.destroy(e),
    )
    return out
  }
}
