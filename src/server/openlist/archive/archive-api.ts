/**
 * /api/fs/archive/meta, list and decompress for zip files (server/handles/archive.go shapes). Other archive types
 * answer as OpenList does when it has no tool for them: code 500, "unknown archive format".
 */
import type { IncomingMessage } from 'node:http'
import type { z } from 'zod'
import { DriverError } from '../../../errors/index.js'
import type { Obj } from '../../../host/types.js'
import { fromStream } from '../../../upload/index.js'
import { UnknownArchiveFormatError } from '../../answer-errors.js'
import type { ServerContext } from '../../context.js'
import { requestBaseUrl } from '../../http-util.js'
import { openListType } from '../../mime.js'
import { cleanPath, encodePath, joinTo, nameOf } from '../../safe-path.js'
import type { archiveDecompressReq, archiveListReq, archiveMetaReq } from '../ui-schemas.js'
import type { ObjResp } from '../obj-resp.js'
import { isSupportedArchive } from './extensions.js'
import { cachedZip } from './zip-cache.js'
import type { OpenZip, ZipEntryInfo } from './zip-reader.js'

/** An ObjResp (obj-resp.ts) as OpenList's archive handlers send it: `hash_info` is always null there. */
type ArchiveObj = Omit<ObjResp, 'hash_info'> & { hash_info: null }
type ArchiveNode = ArchiveObj & { children: ArchiveNode[] | null }

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

function toArchiveObj(name: string, isFolder: boolean, size: number, modified: Date): ArchiveObj {
  const time = modified.toISOString()
  return {
    id: '',
    path: '',
    name,
    size,
    is_dir: isFolder,
    modified: time,
    created: time,
    sign: '',
    thumb: '',
    type: openListType(name, isFolder),
    hashinfo: 'null',
    hash_info: null,
  }
}

/** Folder paths implied by the entries (zips need not hold an entry for every folder). */
function folderTimes(entries: ZipEntryInfo[]): Map<string, Date> {
  const folders = new Map<string, Date>()
  for (const e of entries) {
    const parts = e.path.split('/')
    for (let i = 1; i < parts.length; i++) {
      const p = parts.slice(0, i).join('/')
      if (!folders.has(p)) folders.set(p, e.modified)
    }
    if (e.isFolder) folders.set(e.path, e.modified)
  }
  return folders
}

/** The direct children of `inner` ('' = the archive's root). */
function childrenOf(entries: ZipEntryInfo[], inner: string): ArchiveObj[] {
  const prefix = inner === '' ? '' : `${inner}/`
  const out: ArchiveObj[] = []
  for (const [folder, time] of folderTimes(entries)) {
    if (folder.startsWith(prefix) && !folder.slice(prefix.length).includes('/') && folder.length > prefix.length) {
      out.push(toArchiveObj(folder.slice(prefix.length), true, 0, time))
    }
  }
  for (const e of entries) {
    if (!e.isFolder && e.path.startsWith(prefix) && !e.path.slice(prefix.length).includes('/')) {
      out.push(toArchiveObj(e.path.slice(prefix.length), false, e.size, e.modified))
    }
  }
  return out
}

function tree(entries: ZipEntryInfo[], inner: string): ArchiveNode[] {
  return childrenOf(entries, inner).map((o) => ({
    ...o,
    children: o.is_dir ? tree(entries, inner ? `${inner}/${o.name}` : o.name) : null,
  }))
}

function innerOf(innerPath: string): string {
  return cleanPath(innerPath).slice(1)
}

export async function archiveMeta(ctx: ServerContext, req: IncomingMessage, body: z.infer<typeof archiveMetaReq>) {
  const path = cleanPath(body.path)
  const { zip } = await openArchive(ctx, path, body.refresh)
  return {
    comment: zip.comment,
    encrypted: false,
    content: tree(zip.entries, ''),
    // Inner files download from /ae/ (OpenList's internal-extract route), signed like the archive's own link.
    raw_url: `${requestBaseUrl(req, ctx.publicUrl)}/ae${encodePath(path)}`,
    sign: ctx.signer.sign(path),
  }
}

export async function archiveList(ctx: ServerContext, body: z.infer<typeof archiveListReq>) {
  const { zip } = await openArchive(ctx, cleanPath(body.path), body.refresh)
  const all = childrenOf(zip.entries, innerOf(body.inner_path))
  const page = Math.max(1, body.page)
  const content = body.per_page < 1 ? all : all.slice((page - 1) * body.per_page, page * body.per_page)
  return { content, total: all.length }
}

/** Extracts into the drive at once (no task queue here), so the answer lists no pending task. */
export async function archiveDecompress(ctx: ServerContext, body: z.infer<typeof archiveDecompressReq>) {
  const srcDir = cleanPath(body.src_dir)
  for (const name of body.name) {
    const path = joinTo(srcDir, name)
    const { file, zip } = await openArchive(ctx, path, false)
    const inner = innerOf(body.inner_path)
    const base = file.name.replace(/\.[^.]+$/, '')
    const dst = body.put_into_new_dir ? joinTo(cleanPath(body.dst_dir), base) : cleanPath(body.dst_dir)
    // A single file picked inside the archive lands by its own name; a folder (or the root) with its contents.
    const picked = zip.entries.find((e) => e.path === inner && !e.isFolder)
    const files = picked
      ? [picked]
      : zip.entries.filter((e) => !e.isFolder && (inner === '' || e.path.startsWith(`${inner}/`)))
    const stripTo = picked ? inner.slice(0, inner.lastIndexOf('/') + 1) : inner === '' ? '' : `${inner}/`
    for (const e of files) {
      const rel = cleanPath(e.path.slice(stripTo.length))
      const target = joinTo(dst, rel.slice(1))
      // The check and the write are one step under the path's lock, shared with WebDAV and the other write routes.
      await ctx.pathLock.run([target], async () => {
        if (!body.overwrite && (await ctx.fs.tryStat(target)))
          throw new DriverError('ALREADY_EXISTS', `"${target}" already exists`)
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
  }
  return { task: [] }
}
