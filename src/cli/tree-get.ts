/**
 * `get -r <remote-dir> <local-dir>`: the contents of a remote folder into a local folder (created as needed), like
 * `rclone copy`. Each remote folder is listed once; each file goes through `get`'s own download (download.ts): a
 * local file with the remote one's size and SHA-1 is skipped, a shorter one is continued, and every download is
 * checked against the remote SHA-1. Links are asked through the driver's shared limiter (1/s is AliyunDrive's limit
 * for links; small files mostly need none, see download.ts). `parallel` files download at once, at most AliyunDrive's
 * per-user download concurrency (3, docs/api-notes.md §3.11): a fourth GET would be refused 403 ExceedMaxConcurrency.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Obj, StorageDriver } from '../host/types.js'
import { normalizePath } from '../paths/mount-path.js'
import { downloadFile } from './download.js'
import { inParallel } from './in-parallel.js'
import { explainLocalPathError } from './local-name-limits.js'
import { TreeProgress } from './tree-progress.js'
import { TreeTally } from './tree-tally.js'

export interface GetTreeOptions {
  quiet: boolean
  json: boolean
  /** Files downloading at once, 1 to MAX_PARALLEL_DOWNLOADS. */
  parallel: number
}

/** AliyunDrive's per-user download concurrency (docs/api-notes.md §3.11). */
export const MAX_PARALLEL_DOWNLOADS = 3

interface RemoteFile {
  rel: string
  obj: Obj
}

/** Every file and folder under `root`, depth first, one listing per folder. */
async function walkRemote(
  d: StorageDriver,
  root: Obj,
  tally: TreeTally,
): Promise<{ files: RemoteFile[]; folders: string[] }> {
  const files: RemoteFile[] = []
  const folders: string[] = []
  const visit = async (dir: Obj, rel: string): Promise<void> => {
    let children: Obj[]
    try {
      children = await d.list(dir)
    } catch (e) {
      tally.fail(`${rel || '.'}/`, e)
      return
    }
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const c of children) {
      const childRel = rel ? `${rel}/${c.name}` : c.name
      if (c.isFolder) {
        folders.push(childRel)
        await visit(c, childRel)
      } else {
        files.push({ rel: childRel, obj: c })
      }
    }
  }
  await visit(root, '')
  return { files, folders }
}

export async function getTree(
  d: StorageDriver,
  remoteDir: string,
  localDir: string,
  opts: GetTreeOptions,
): Promise<void> {
  const root = await d.get(normalizePath(remoteDir))
  if (!root.isFolder) throw new Error(`"${root.path}" is a file; get -r copies folders (use get without -r for a file)`)
  const tally = new TreeTally()
  const { files, folders } = await walkRemote(d, root, tally)
  await mkdir(localDir, { recursive: true })
  for (const rel of folders) {
    const target = join(localDir, ...rel.split('/'))
    try {
      await mkdir(target, { recursive: true })
    } catch (e) {
      tally.fail(`${rel}/`, explainLocalPathError(e, target))
    }
  }
  const progress = new TreeProgress(
    files.length,
    files.reduce((n, f) => n + f.obj.size, 0),
    process.stderr,
    !opts.quiet && !opts.json,
  )
  await inParallel(files, Math.min(opts.parallel, MAX_PARALLEL_DOWNLOADS), async ({ rel, obj }) => {
    progress.begin(rel)
    let outcome = 'failed'
    try {
      const target = join(localDir, ...rel.split('/'))
      // The single-file download: skips a same-size file only when its SHA-1 matches, continues a shorter one,
      // and checks the SHA-1 of what it wrote.
      const result = await downloadFile(d, obj, target, {
        resume: true,
        onProgress: (loaded) => progress.bytes(rel, loaded),
        say: () => {},
      })
      if (result.skipped) {
        tally.skipped++
        outcome = 'up to date'
      } else {
        tally.transferred++
        tally.bytesSent += obj.size - (result.resumedFrom ?? 0)
        outcome = result.resumedFrom !== undefined ? `downloaded (resumed at byte ${result.resumedFrom})` : 'downloaded'
      }
    } catch (e) {
      tally.fail(rel, e)
    }
    progress.end(rel, obj.size, outcome)
  })
  progress.done()
  tally.finish('downloaded', files.length, opts.json)
}
