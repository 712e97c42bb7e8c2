/**
 * `put -r <local-dir> <remote-dir>`: the contents of a local folder into a remote folder (created as needed), like
 * `rclone copy`. Each remote folder is listed once; a file whose remote twin has the same size and SHA-1 is skipped
 * (the local file is hashed only when the sizes match). A name absent from that listing is uploaded with the
 * server's auto-rename, which saves the per-file conflict listing (list calls are the scarce ones: 4/s); if a racing
 * writer took the name meanwhile, the file lands under another name and that is reported as a failure, never
 * silently. Changed files replace the remote one (overwrite removes the old holder by id), or are refused with
 * --refuse. Uploads are resumable (the CLI's session store). All calls go through the driver's shared rate limiter.
 * `parallel` files upload at once: one file's parts must go one after another (docs/api-notes.md §6.3), so a tree of
 * many small files is bound by each file's own round trips, which overlap across files.
 */
import { stat } from 'node:fs/promises'
import { DriverError } from '../errors/index.js'
import type { ConflictMode, Obj, StorageDriver, UploadSessionStore } from '../host/types.js'
import { fromFile } from '../upload/index.js'
import { ensureFolder } from './ensure-folder.js'
import { UsageError } from './exit-codes.js'
import { inParallel } from './in-parallel.js'
import { TreeProgress } from './tree-progress.js'
import { sha1OfFile, walkLocal } from './local-tree.js'
import { TreeTally } from './tree-tally.js'

export interface PutTreeOptions {
  conflict: Exclude<ConflictMode, 'rename'>
  quiet: boolean
  json: boolean
  sessions?: UploadSessionStore
  /** Files uploading at once. */
  parallel: number
}

export async function putTree(
  d: StorageDriver,
  localDir: string,
  remoteDir: string,
  opts: PutTreeOptions,
): Promise<void> {
  const kind = await stat(localDir).catch(() => undefined)
  if (!kind?.isDirectory())
    throw new UsageError(`${localDir} is not a local folder; put -r uploads folders (use put without -r for a file)`)
  const { files, folders, skipped } = await walkLocal(localDir)
  const root = await ensureFolder(d, remoteDir, (message) => {
    if (!opts.quiet && !opts.json) process.stderr.write(`${message}\n`)
  })
  if (!root.isFolder)
    throw new DriverError('NOT_FOLDER', `"${root.path}" is a file; put -r needs a folder to copy into`)
  const tally = new TreeTally()
  for (const rel of skipped) tally.fail(rel, new Error('not a regular file or folder; skipped'))
  const progress = new TreeProgress(
    files.length,
    files.reduce((n, f) => n + f.size, 0),
    process.stderr,
    !opts.quiet && !opts.json,
  )

  // Remote folders by relative path ('' = the root), each listed once, lazily.
  const dirs = new Map<string, Obj>([['', root]])
  // The listing's promise is kept, so files of one folder uploading at once share one list call.
  const listings = new Map<string, Promise<Map<string, Obj>>>()
  const listingOf = (rel: string): Promise<Map<string, Obj>> => {
    let l = listings.get(rel)
    if (!l) {
      l = d.list(dirs.get(rel)!).then((objs) => new Map(objs.map((o) => [o.name, o])))
      listings.set(rel, l)
      l.catch(() => listings.delete(rel))
    }
    return l
  }
  const dirOf = async (rel: string): Promise<Obj> => {
    const known = dirs.get(rel)
    if (known) return known
    const cut = rel.lastIndexOf('/')
    const parentRel = cut < 0 ? '' : rel.slice(0, cut)
    const name = rel.slice(cut + 1)
    const parent = await dirOf(parentRel)
    const existing = (await listingOf(parentRel)).get(name)
    let dir: Obj
    if (existing?.isFolder) {
      dir = existing
    } else {
      dir = await d.makeDir(parent, name)
      // A folder we just made is empty: no need to list it.
      listings.set(rel, Promise.resolve(new Map<string, Obj>()))
    }
    dirs.set(rel, dir)
    return dir
  }

  for (const rel of folders) {
    try {
      await dirOf(rel)
    } catch (e) {
      tally.fail(`${rel}/`, e)
    }
  }
  // Every folder exists before the files start, so files uploading at once never race to create one.
  await inParallel(files, opts.parallel, async (f) => {
    progress.begin(f.rel)
    let outcome = 'failed'
    try {
      const cut = f.rel.lastIndexOf('/')
      const parentRel = cut < 0 ? '' : f.rel.slice(0, cut)
      const name = f.rel.slice(cut + 1)
      const dir = await dirOf(parentRel)
      const remote = (await listingOf(parentRel)).get(name)
      if (
        remote &&
        !remote.isFolder &&
        remote.size === f.size &&
        remote.hashes.sha1 &&
        remote.hashes.sha1 === (await sha1OfFile(f.abs))
      ) {
        tally.skipped++
        outcome = 'up to date'
      } else {
        const source = fromFile(f.abs)
        const obj = await d.upload(dir, source, {
          conflict: remote ? opts.conflict : 'rename',
          onProgress: (p) => p.phase === 'uploading' && progress.bytes(f.rel, p.loaded),
          ...(opts.sessions ? { sessions: opts.sessions } : {}),
        })
        if (obj.name !== name)
          throw new Error(`"${name}" appeared in the remote folder meanwhile; uploaded as "${obj.name}"`)
        tally.transferred++
        tally.bytesSent += f.size
        outcome = 'uploaded'
      }
    } catch (e) {
      tally.fail(f.rel, e)
    }
    progress.end(f.rel, f.size, outcome)
  })
  progress.done()
  tally.finish('uploaded', files.length, opts.json)
}
