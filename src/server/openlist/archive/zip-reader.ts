/**
 * Opens a zip on the drive without downloading it: yauzl reads the central directory and each entry through a
 * random-access reader whose reads are HTTP Range requests on the file's download link.
 */
import { PassThrough, type Readable } from 'node:stream'
import yauzl from 'yauzl'
import { DriverError } from '../../../errors/index.js'
import type { Obj } from '../../../host/types.js'
import type { FsService } from '../../fs-service.js'
import { upstreamGet } from '../../upstream-get.js'

export interface ZipEntryInfo {
  /** Path inside the archive, '/'-separated, no leading slash; folders end without '/'. */
  path: string
  isFolder: boolean
  size: number
  modified: Date
  entry: yauzl.Entry
}

export interface OpenZip {
  entries: ZipEntryInfo[]
  comment: string
  encrypted: boolean
  openEntry(entry: yauzl.Entry): Promise<Readable>
  close(): void
}

class LinkRangeReader extends yauzl.RandomAccessReader {
  constructor(
    private readonly fs: FsService,
    private readonly file: Obj,
  ) {
    super()
  }

  override _readStreamForRange(start: number, end: number): Readable {
    // yauzl wants a stream back synchronously; the request starts when the link is known.
    const out = new PassThrough()
    const abort = new AbortController()
    out.once('close', () => abort.abort())
    void (async () => {
      try {
        const link = await this.fs.link(this.file)
        const res = await upstreamGet(
          link.url,
          { ...(link.headers ?? {}), Range: `bytes=${start}-${end - 1}` },
          abort.signal,
        )
        if (res.statusCode !== 206 && !(res.statusCode === 200 && start === 0 && end === this.file.size)) {
          res.resume()
          throw new Error(`range read of the archive answered HTTP ${res.statusCode}`)
        }
        res.on('error', (e) => out.destroy(e))
        res.pipe(out)
      } catch (e) {
        out.destroy(e as Error)
      }
    })()
    return out
  }
}

export async function openZip(fs: FsService, file: Obj): Promise<OpenZip> {
  const reader = new LinkRangeReader(fs, file)
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.fromRandomAccessReader(
      reader,
      file.size,
      { lazyEntries: true, autoClose: false, strictFileNames: false },
      (err, z) =>
        err || !z
          ? reject(new DriverError('UPSTREAM', `"${file.path}" is not a readable zip: ${err?.message ?? 'no archive'}`))
          : resolve(z),
    )
  })
  const entries: ZipEntryInfo[] = []
  let encrypted = false
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      const isFolder = entry.fileName.endsWith('/')
      if (entry.isEncrypted()) encrypted = true
      entries.push({
        path: entry.fileName.replace(/\/+$/, ''),
        isFolder,
        size: isFolder ? 0 : entry.uncompressedSize,
        modified: entry.getLastModDate(),
        entry,
      })
      zip.readEntry()
    })
    zip.on('end', () => resolve())
    zip.on('error', (e: Error) =>
      reject(new DriverError('UPSTREAM', `reading the zip "${file.path}" failed: ${e.message}`)),
    )
    zip.readEntry()
  })
  return {
    entries,
    comment: zip.comment,
    encrypted,
    openEntry: (entry) =>
      new Promise((resolve, reject) => {
        zip.openReadStream(entry, (err, stream) =>
          err || !stream
            ? reject(new DriverError('UPSTREAM', `cannot read "${entry.fileName}": ${err?.message}`))
            : resolve(stream),
        )
      }),
    close: () => zip.close(),
  }
}
