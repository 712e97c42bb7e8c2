/**
 * /api/fs/archive/meta, list and decompress for zip files (server/handles/archive.go shapes). Other archive types
 * answer as OpenList does when it has no tool for them: code 500, "unknown archive format".
 */
import type { IncomingMessage } from 'node:http'
import type { z } from 'zod'
import { DriverError } from '../../../errors/index.js'
import type { Obj } from '../../../host/types.js'
import { fromStream } from '../../../upload/index.js'
import { UnknownArchiveFormatError } from '../../server-errors.js'
import type { ServerContext } from '../../context.js'
import { requestBaseUrl } from '../../http-io.js'
import { cleanPath, encodePath, joinTo, nameOf } from '../../safe-path.js'
import type { archiveDecompressReq, archiveListReq, archiveMetaReq } from '../ui-schemas.js'
import { SerializedAnswer } from '../list-answer.js'
import { archiveChildren, archiveTreeJson, findArchiveFolder } from './archive-tree.js'
import { cachedZip } from './zip-cache.js'
import { checkExtraction, DEFAULT_EXTRACT_LIMIT } from './zip-guards.js'
import type { OpenZip, ZipEntryInfo } from './zip-reader.js'

/**
 * The archive types we can open, as OpenList's `/api/public/archive_extensions` lists the extensions it has a tool
 * for: the web UI offers archive preview for names ending in one of these. Zip only: its central directory can be
 * read with a few Range requests, which is what makes preview through a download link cheap.
 */
export const ARCHIVE_EXTENSIONS: readonly string[] = Object.freeze(['.zip'])

function isSupportedArchive(name: string): boolean {
  const lower = name.toLowerCase()
  return ARCHIVE_EXTENSIONS.some((ext) => lower.endsWith(ext))
}

export async function openArchive(
  ctx: ServerContext,
  path: string,
  refresh: boolean,
): Promise<{ file: Obj; zip: OpenZip }> {
  const file = await ctx.fs.stat(path)
  if (file.isFolder) throw new DriverError('NOT_FILE', `"${path}" is a folder, not an archive`)
  // OpenList's tool lookup fails this way for an extension no tool claims (errs.UnknownArchiveFormat).
  if (!isSupportedArchive(file.name)) throw new UnknownArchiveFormatError('unknown archive format')
  const zip = await cachedZip(ctx.fs, file, refresh)
  if (zip.encrypted) throw new DriverError('NOT_SUPPORTED', 'encrypted zip entries are not supported')
  return { file, zip }
}

function innerOf(innerPath: string): string {
  return cleanPath(innerPath).slice(1)
}

/** The meta tree's JSON per open zip: built once, in linear time, without recursion (archive-tree.ts). */
const treeJson = new WeakMap<OpenZip, Promise<string>>()

export async function archiveMeta(ctx: ServerContext, req: IncomingMessage, body: z.infer<typeof archiveMetaReq>) {
  const path = cleanPath(body.path)
  const { zip } = await openArchive(ctx, path, body.refresh)
  let content = treeJson.get(zip)
  if (content === undefined) treeJson.set(zip, (content = archiveTreeJson(zip.index)))
  const tree = await content
  const data = {
    comment: zip.comment,
    encrypted: false,
    content: null,
    // Inner files download from /ae/ (OpenList's internal-extract route), signed like the archive's own link.
    raw_url: `${requestBaseUrl(req, ctx.publicUrl)}/ae${encodePath(path)}`,
    sign: ctx.signer.sign(path),
  }
  const envelope = JSON.stringify({ code: 200, message: 'success', data })
  return new SerializedAnswer(Buffer.from(envelope.replace('"content":null', `"content":${tree}`)))
}

export async function archiveList(ctx: ServerContext, body: z.infer<typeof archiveListReq>) {
  const { zip } = await openArchive(ctx, cleanPath(body.path), body.refresh)
  const folder = findArchiveFolder(zip.index, innerOf(body.inner_path))
  const all = folder ? archiveChildren(folder) : []
  const page = Math.max(1, body.page)
  const content = body.per_page < 1 ? all : all.slice((page - 1) * body.per_page, page * body.per_page)
  return { content, total: all.length }
}

interface PlannedFile {
  zip: OpenZip
  e: ZipEntryInfo
  target: string
}

/** Every file a decompress request would write, from every archive it names: all checked before the first write. */
async function planDecompress(ctx: ServerContext, body: z.infer<typeof archiveDecompressReq>): Promise<PlannedFile[]> {
  const srcDir = cleanPath(body.src_dir)
  const inner = innerOf(body.inner_path)
  const planned: PlannedFile[] = []
  for (const name of body.name) {
    const { file, zip } = await openArchive(ctx, joinTo(srcDir, name), false)
    const base = file.name.replace(/\.[^.]+$/, '')
    const dst = body.put_into_new_dir ? joinTo(cleanPath(body.dst_dir), base) : cleanPath(body.dst_dir)
    // A single file picked inside the archive lands by its own name; a folder (or the root) with its contents.
    const picked = zip.entries.find((e) => e.path === inner && !e.isFolder)
    const files = picked
      ? [picked]
      : zip.entries.filter((e) => !e.isFolder && (inner === '' || e.path.startsWith(`${inner}/`)))
    const stripTo = picked ? inner.slice(0, inner.lastIndexOf('/') + 1) : inner === '' ? '' : `${inner}/`
    for (const e of files)
      planned.push({ zip, e, target: joinTo(dst, cleanPath(e.path.slice(stripTo.length)).slice(1)) })
  }
  const limit = ctx.archiveExtractLimit ?? DEFAULT_EXTRACT_LIMIT
  checkExtraction(
    planned.map(({ e }) => ({
      path: e.path,
      size: e.size,
      compressedSize: e.compressedSize,
      compressed: e.entry.compressionMethod !== 0,
    })),
    limit,
  )
  return planned
}

/**
 * Extracts into the drive at once (no task queue here), so the answer lists no pending task. Without `overwrite`, a
 * file already there with the entry's size is taken as extracted by an earlier run cut short, and skipped: a killed
 * decompress can be run again (RELIABILITY.md "Files on disk").
 */
export async function archiveDecompress(ctx: ServerContext, body: z.infer<typeof archiveDecompressReq>) {
  for (const { zip, e, target } of await planDecompress(ctx, body)) {
    // The check and the write are one step under the path's lock, shared with WebDAV and the other write routes.
    await ctx.pathLock.run([target], async () => {
      if (!body.overwrite) {
        const there = await ctx.fs.tryStat(target)
        if (there && !there.isFolder && there.size === e.size) return
        if (there) throw new DriverError('ALREADY_EXISTS', `"${target}" already exists`)
      }
      const dir = await ctx.fs.mkdirp(target.slice(0, target.length - nameOf(target).length - 1) || '/')
      const stream = await zip.openEntry(e.entry)
      const source = fromStream(stream, { name: nameOf(target), size: e.size, modified: e.modified })
      try {
        await ctx.fs.upload(dir, source, { conflict: 'overwrite' })
      } finally {
        await source.dispose?.()
      }
    })
  }
  return { task: [] }
}
