/**
 * Opens a zip on the drive without downloading it: yauzl reads the central directory and each entry through a
 * random-access reader whose reads are HTTP Range requests on the file's download link.
 */
import { PassThrough, type Readable } from 'node:stream'
import yauzl from 'yauzl'
import { DriverError } from '../../../errors/index.js'
import type { Obj } from '../../../host/types.js'
import type { FsService } from '../../fs-service.js'
import { addToArchiveIndex, emptyArchiveIndex, type ArchiveFolder } from './archive-tree.js'
import { LinkRangeReader } from './link-range-reader.js'
import { overlappingEntries } from './zip-guards.js'

/** More entries than this is refused: each costs memory for as long as the zip stays open (zip-cache.ts). */
const MAX_ENTRIES = 200_000
const ENTRIES_PER_TURN = 500

export interface ZipEntryInfo {
  /** Path inside the archive, '/'-separated, no leading slash; folders end without '/'. */
  path: string
  isFolder: boolean
  size: number
  modified: Date
  /** Where the entry's local header starts, and its data's size in the archive (zip-guards.ts). */
  offset: number
  compressedSize: number
  entry: yauzl.Entry
}

export interface OpenZip {
  entries: ZipEntryInfo[]
  comment: string
  encrypted: boolean
  /** The folder tree, built once per open zip (archive-tree.ts). */
  index: ArchiveFolder
  /** Upstream GETs made through this zip so far. */
  gets(): number
  openEntry(entry: yauzl.Entry): Promise<Readable>
  close(): void
}

/**
 * The entry's bytes, cut with an error at its declared size (yauzl checks deflated entries too, but may emit that
 * error twice: the second emission, after the reader stopped listening, crashed the process). The errors of yauzl's
 * stream always have a listener here; the consumer gets the first one on the returned stream.
 */
function atMostDeclared(stream: Readable, entry: yauzl.Entry): Readable {
  const out = new PassThrough()
  let seen = 0
  const fail = (e: Error) => out.destroy(e)
  stream.on('error', fail)
  out.on('error', () => undefined)
  out.once('close', () => stream.destroy())
  stream.on('data', (c: Buffer) => {
    seen += c.length
    if (seen > entry.uncompressedSize)
      return fail(new Error(`"${entry.fileName}" inflates past its declared size of ${entry.uncompressedSize} bytes`))
    if (!out.write(c)) stream.pause()
  })
  out.on('drain', () => stream.resume())
  stream.on('end', () => out.end())
  return out
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
  const index = emptyArchiveIndex()
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
        offset: entry.relativeOffsetOfLocalHeader,
        compressedSize: entry.compressedSize,
        entry,
      })
      addToArchiveIndex(index, entries[entries.length - 1]!)
      if (entries.length > MAX_ENTRIES) {
        zip.close()
        return reject(new DriverError('NOT_SUPPORTED', `"${file.path}" holds more than ${MAX_ENTRIES} entries`))
      }
      // Records served from a fetched block resolve without I/O: let other requests in every so often.
      if (entries.length % ENTRIES_PER_TURN === 0) setImmediate(() => zip.readEntry())
      else zip.readEntry()
    })
    zip.on('end', () => resolve())
    zip.on('error', (e: Error) =>
      reject(new DriverError('UPSTREAM', `reading the zip "${file.path}" failed: ${e.message}`)),
    )
    zip.readEntry()
  })
  // Records sharing bytes are how a tiny zip inflates to gigabytes: the whole archive is refused, for every use.
  const overlap = overlappingEntries(entries)
  if (overlap) {
    zip.close()
    throw new DriverError(
      'NOT_SUPPORTED',
      `"${file.path}" is refused: the data of "${overlap[0]}" and "${overlap[1]}" overlap in the archive`,
    )
  }
  return {
    entries,
    comment: zip.comment,
    encrypted,
    index,
    gets: () => reader.gets,
    openEntry: (entry) =>
      new Promise((resolve, reject) => {
        zip.openReadStream(entry, (err, stream) =>
          err || !stream
            ? reject(new DriverError('UPSTREAM', `cannot read "${entry.fileName}": ${err?.message}`))
            : resolve(atMostDeclared(stream, entry)),
        )
      }),
    close: () => zip.close(),
  }
}
