/**
 * `get` (download, resumable: an existing shorter local file is continued with a Range request) and `put` (upload
 * with a progress line: hashing and uploading shown as separate phases).
 */
import type { Command } from 'commander'
import { createWriteStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream } from 'node:stream/web'
import { DriverError } from '../../errors/index.js'
import type { ConflictMode } from '../../host/types.js'
import { normalizePath } from '../../paths/mount-path.js'
import { fromFile } from '../../upload/index.js'
import { objJson } from '../format.js'
import { Progress } from '../progress.js'
import { UsageError } from '../exit-codes.js'
import { getTree } from '../tree-get.js'
import { putTree } from '../tree-put.js'
import { printJson, withDriver } from '../run-command.js'
import { openUploadState, resumeNotice } from '../upload-state-dir.js'

async function localSize(path: string): Promise<number | undefined> {
  try {
    const s = await stat(path)
    return s.isFile() ? s.size : undefined
  } catch {
    return undefined
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}

export function registerTransferCommands(program: Command): void {
  program
    .command('get')
    .description('download a file (continues a partial local file)')
    .argument('<remote>', 'remote file')
    .argument('[local]', 'local file or folder (default: the name, in the current folder)')
    .option('--no-resume', 'start over instead of continuing a partial file')
    .option('-r, --recursive', 'download a remote folder: its contents into <local> (skips files already equal)')
    .option('-q, --quiet', 'no progress line')
    .action((remote: string, local: string | undefined, opts: { resume: boolean; quiet?: boolean; recursive?: boolean }, cmd: Command) =>
      withDriver(cmd, async (d, g) => {
        if (opts.recursive) return getTree(d, remote, local ?? (basename(normalizePath(remote)) || '.'), { quiet: Boolean(opts.quiet), json: g.json })
        const obj = await d.get(normalizePath(remote))
        if (obj.isFolder) throw new DriverError('NOT_FILE', `"${obj.path}" is a folder; get downloads files`)
        let target = local ?? obj.name
        if (await isDir(target)) target = join(target, obj.name)
        let offset = opts.resume ? ((await localSize(target)) ?? 0) : 0
        if (offset > obj.size) offset = 0 // not a prefix of this file: start over
        if (offset < obj.size || obj.size === 0) {
          const link = await d.link(obj)
          const headers: Record<string, string> = { ...(link.headers ?? {}) }
          if (offset > 0) headers.Range = `bytes=${offset}-`
          const res = await fetch(link.url, { headers })
          if (res.status === 200) offset = 0 // the server ignored Range: rewrite from the start
          else if (res.status !== 206) throw new DriverError('UPSTREAM', `download of "${obj.path}" failed with HTTP ${res.status}`)
          if (!res.body) throw new DriverError('UPSTREAM', `download of "${obj.path}" returned no body`)
          const progress = new Progress(basename(target), process.stderr, !opts.quiet && !g.json)
          let loaded = offset
          const counter = new Transform({
            transform(chunk: Buffer, _enc, cb) {
              loaded += chunk.byteLength
              progress.update('download', loaded, obj.size)
              cb(null, chunk)
            },
          })
          await pipeline(Readable.fromWeb(res.body as ReadableStream<Uint8Array>), counter, createWriteStream(target, { flags: offset > 0 ? 'a' : 'w' }))
          progress.done()
        }
        const size = await localSize(target)
        if (size !== obj.size) throw new DriverError('NETWORK', `download of "${obj.path}" is incomplete (${size} of ${obj.size} bytes); run the command again to continue`)
        if (g.json) printJson({ ...objJson(obj), local: target })
      }),
    )

  program
    .command('put')
    .description('upload a local file into a remote folder (replaces a file of the same name by default)')
    .argument('<local>', 'local file')
    .argument('[remote-dir]', 'remote folder', '/')
    .option('--name <name>', 'remote name (default: the local name)')
    .option('--refuse', 'fail if the name is taken instead of replacing')
    .option('--rename', 'let the server pick a free name if the name is taken')
    .option('-r, --recursive', 'upload a local folder: its contents into <remote-dir> (skips files already equal)')
    .option('-q, --quiet', 'no progress line')
    .action((local: string, remoteDir: string, opts: { name?: string; refuse?: boolean; rename?: boolean; quiet?: boolean; recursive?: boolean }, cmd: Command) =>
      withDriver(cmd, async (d, g) => {
        if (opts.recursive) {
          if (opts.name || opts.rename) throw new UsageError('put -r takes neither --name nor --rename')
          const sessions = await openUploadState(g.config)
          return putTree(d, local, remoteDir, { conflict: opts.refuse ? 'refuse' : 'overwrite', quiet: Boolean(opts.quiet), json: g.json, ...(sessions ? { sessions } : {}) })
        }
        const dir = await d.get(normalizePath(remoteDir))
        const source = fromFile(local, opts.name ? { name: opts.name } : {})
        const conflict: ConflictMode = opts.refuse ? 'refuse' : opts.rename ? 'rename' : 'overwrite'
        const progress = new Progress(source.name, process.stderr, !opts.quiet && !g.json)
        try {
          const sessions = await openUploadState(g.config)
          const obj = await d.upload(dir, source, {
            conflict,
            onProgress: (p) => progress.update(p.phase, p.loaded, p.total),
            ...(sessions ? { sessions } : {}),
            ...(opts.quiet ? {} : { onResume: resumeNotice(source.name) }),
          })
          progress.done()
          if (g.json) printJson(objJson(obj))
        } finally {
          await source.dispose?.()
        }
      }),
    )
}
