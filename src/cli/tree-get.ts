/**
 * `get -r <remote-dir> <local-dir>`: the contents of a remote folder into a local folder (created as needed), like
 * `rclone copy`. Each remote folder is listed once; a local file with the remote one's size and SHA-1 is skipped.
 * A file is written to a temporary name in its folder, checked (size, and SHA-1 when the service has one) and only
 * then renamed into place, so an interrupted or corrupt download never looks like a finished file. Links are asked
 * one at a time through the driver's shared limiter (1/s is AliyunDrive's limit for links).
 */
import { createHash, randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream } from 'node:stream/web'
import type { Obj, StorageDriver } from '../host/types.js'
import { normalizePath } from '../paths/mount-path.js'
import { TreeProgress } from './tree-progress.js'
import { sha1OfFile, TreeTally } from './tree-common.js'

export interface GetTreeOptions {
  quiet: boolean
  json: boolean
}

interface RemoteFile {
  rel: string
  obj: Obj
}

/** Every file and folder under `root`, depth first, one listing per folder. */
async function walkRemote(d: StorageDriver, root: Obj, tally: TreeTally): Promise<{ files: RemoteFile[]; folders: string[] }> {
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

async function localSize(path: string): Promise<number | undefined> {
  try {
    const s = await stat(path)
    return s.isFile() ? s.size : undefined
  } catch {
    return undefined
  }
}

async function download(d: StorageDriver, obj: Obj, target: string, onBytes: (n: number) => void): Promise<void> {
  const link = await d.link(obj)
  const res = await fetch(link.url, { headers: { ...(link.headers ?? {}) } })
  if (res.status !== 200) throw new Error(`download failed with HTTP ${res.status}`)
  if (!res.body) throw new Error('the download returned no body')
  const temp = join(dirname(target), `.${obj.name}.${randomBytes(4).toString('hex')}.partial`)
  const hash = createHash('sha1')
  let loaded = 0
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk)
      loaded += chunk.byteLength
      onBytes(loaded)
      cb(null, chunk)
    },
  })
  try {
    await pipeline(Readable.fromWeb(res.body as ReadableStream<Uint8Array>), counter, createWriteStream(temp))
    if (loaded !== obj.size) throw new Error(`received ${loaded} of ${obj.size} bytes`)
    const sha1 = hash.digest('hex')
    if (obj.hashes.sha1 && sha1 !== obj.hashes.sha1) throw new Error(`received content with SHA-1 ${sha1}, the service has ${obj.hashes.sha1}`)
    await rename(temp, target)
  } finally {
    await rm(temp, { force: true })
  }
}

export async function getTree(d: StorageDriver, remoteDir: string, localDir: string, opts: GetTreeOptions): Promise<void> {
  const root = await d.get(normalizePath(remoteDir))
  if (!root.isFolder) throw new Error(`"${root.path}" is a file; get -r copies folders (use get without -r for a file)`)
  const tally = new TreeTally()
  const { files, folders } = await walkRemote(d, root, tally)
  await mkdir(localDir, { recursive: true })
  for (const rel of folders) {
    try {
      await mkdir(join(localDir, ...rel.split('/')), { recursive: true })
    } catch (e) {
      tally.fail(`${rel}/`, e)
    }
  }
  const progress = new TreeProgress(files.length, files.reduce((n, f) => n + f.obj.size, 0), process.stderr, !opts.quiet && !opts.json)
  for (const { rel, obj } of files) {
    progress.begin(rel)
    let outcome = 'failed'
    try {
      const target = join(localDir, ...rel.split('/'))
      const size = await localSize(target)
      if (size === obj.size && obj.hashes.sha1 && (await sha1OfFile(target)) === obj.hashes.sha1) {
        tally.skipped++
        outcome = 'up to date'
      } else {
        await download(d, obj, target, (n) => progress.bytes(n))
        tally.transferred++
        tally.bytesSent += obj.size
        outcome = 'downloaded'
      }
    } catch (e) {
      tally.fail(rel, e)
    }
    progress.end(obj.size, outcome)
  }
  progress.done()
  tally.finish('downloaded', files.length, opts.json)
}
