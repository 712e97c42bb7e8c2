/**
 * `get` (download, resumable: an existing shorter local file is continued with a Range request; every download is
 * checked against the remote SHA-1, see download.ts) and `put` (upload with a progress line: hashing and uploading
 * shown as separate phases; a missing target folder is created).
 */
import type { Command } from 'commander'
import { stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { DriverError, isDriverError } from '../../errors/index.js'
import type { ConflictMode } from '../../host/types.js'
import { normalizePath } from '../../paths/mount-path.js'
import { EXIT, UsageError } from '../exit-codes.js'
import { objJson } from '../format.js'
import { integerIn } from '../option-parsers.js'
import { Progress } from '../progress.js'
import { printJson, withDriver } from '../run-command.js'

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}

interface PutFlags {
  name?: string
  overwrite?: boolean
  refuse?: boolean
  rename?: boolean
  quiet?: boolean
  recursive?: boolean
  parallel?: number
}

/** get -r: AliyunDrive's per-user download concurrency (docs/api-notes.md §3.11); more is refused, not queued. */
const GET_PARALLEL = 3
/**
 * put -r: a file's parts go one after another (docs/api-notes.md §6.3), so files overlap instead; 3 keeps a tree of
 * small files within the 15 calls a second of the "other" class (create and complete per file, docs/api-notes.md
 * §5.1); more helps little and the driver's limiter queues the excess anyway.
 */
const PUT_PARALLEL = 3
const PUT_PARALLEL_MAX = 8

export function registerTransferCommands(program: Command): void {
  program
    .command('get')
    .description('download a file (continues a partial local file)')
    .argument('<remote>', 'remote file')
    .argument('[local]', 'local file or folder (default: the name, in the current folder)')
    .option('--no-resume', 'start over instead of continuing a partial file')
    .option('-r, --recursive', 'download a remote folder: its contents into <local> (skips files already equal)')
    .option(
      '--parallel <n>',
      `with -r, files downloading at once (default ${GET_PARALLEL}, AliyunDrive's per-user limit)`,
      integerIn(1, GET_PARALLEL, 'the number of downloads at once'),
    )
    .option('-q, --quiet', 'no progress line')
    .action(
      (
        remote: string,
        local: string | undefined,
        opts: { resume: boolean; quiet?: boolean; recursive?: boolean; parallel?: number },
        cmd: Command,
      ) =>
        withDriver(cmd, async (d, g) => {
          if (opts.parallel !== undefined && !opts.recursive) throw new UsageError('--parallel applies to get -r only')
          if (opts.recursive) {
            const into = local ?? (basename(normalizePath(remote)) || '.')
            const { getTree } = await import('../tree-get.js')
            const parallel = opts.parallel ?? GET_PARALLEL
            return getTree(d, remote, into, { quiet: Boolean(opts.quiet), json: g.json, parallel })
          }
          const obj = await d.get(normalizePath(remote))
          if (obj.isFolder) throw new DriverError('NOT_FILE', `"${obj.path}" is a folder; get downloads files`)
          let target = local ?? obj.name
          if (await isDir(target)) target = join(target, obj.name)
          const progress = new Progress(basename(target), process.stderr, !opts.quiet && !g.json)
          const { downloadFile } = await import('../download.js')
          const result = await downloadFile(d, obj, target, {
            resume: opts.resume,
            onProgress: (loaded, total) => progress.update('download', loaded, total),
            say: (message) => {
              if (!opts.quiet && !g.json) process.stderr.write(`${message}\n`)
            },
          })
          progress.done()
          if (g.json)
            printJson({
              ...objJson(obj),
              local: target,
              ...(result.resumedFrom !== undefined ? { resumed_from: result.resumedFrom } : {}),
              ...(result.skipped ? { skipped: true } : {}),
            })
        }),
    )

  program
    .command('put')
    .description(
      'upload a local file into a remote folder, created if missing (replaces a file of the same name by default)',
    )
    .argument('<local>', 'local file')
    .argument('[remote-dir]', 'remote folder (created with its parents if missing)', '/')
    .option('--name <name>', 'remote name (default: the local name)')
    .option('--overwrite', 'replace a file of the same name (the default)')
    .option('--refuse', 'fail if the name is taken instead of replacing')
    .option('--rename', 'let the server pick a free name if the name is taken')
    .option('-r, --recursive', 'upload a local folder: its contents into <remote-dir> (skips files already equal)')
    .option(
      '--parallel <n>',
      `with -r, files uploading at once (default ${PUT_PARALLEL}; each file's parts go one after another)`,
      integerIn(1, PUT_PARALLEL_MAX, 'the number of uploads at once'),
    )
    .option('-q, --quiet', 'no progress line')
    .action((local: string, remoteDir: string, opts: PutFlags, cmd: Command) =>
      withDriver(cmd, async (d, g) => {
        const conflict = putConflict(opts)
        if (opts.parallel !== undefined && !opts.recursive) throw new UsageError('--parallel applies to put -r only')
        // The upload engine loads only for put: get, ls and --help never need it.
        const [{ fromFile }, { ensureFolder }, { putTree }, { openUploadState, resumeNotice }] = await Promise.all([
          import('../../upload/index.js'),
          import('../ensure-folder.js'),
          import('../tree-put.js'),
          import('../upload-state-dir.js'),
        ])
        if (opts.recursive) {
          if (opts.name || conflict === 'rename') throw new UsageError('put -r takes neither --name nor --rename')
          const sessions = await openUploadState(g.config)
          return putTree(d, local, remoteDir, {
            conflict,
            quiet: Boolean(opts.quiet),
            json: g.json,
            parallel: opts.parallel ?? PUT_PARALLEL,
            ...(sessions ? { sessions } : {}),
          })
        }
        const say = (message: string) => {
          if (!opts.quiet && !g.json) process.stderr.write(`${message}\n`)
        }
        const dir = await ensureFolder(d, remoteDir, say)
        const source = fromFile(local, opts.name ? { name: opts.name } : {})
        const progress = new Progress(source.name, process.stderr, !opts.quiet && !g.json)
        let uploaded = 0
        // Ctrl-C: the parts stored so far are recorded (upload-state-dir.ts), so the same command continues from them.
        const onSigint = () => {
          process.stderr.write(`\n${source.name}: interrupted at ${uploaded} %: run the same command again to resume\n`)
          process.exit(EXIT.ABORTED)
        }
        process.once('SIGINT', onSigint)
        try {
          const sessions = await openUploadState(g.config)
          const obj = await d.upload(dir, source, {
            conflict,
            onProgress: (p) => {
              if (p.phase === 'uploading' && p.total > 0) uploaded = Math.floor((p.loaded / p.total) * 100)
              progress.update(p.phase, p.loaded, p.total)
            },
            ...(sessions ? { sessions } : {}),
            ...(opts.quiet ? {} : { onResume: resumeNotice(source.name) }),
          })
          progress.done()
          if (g.json) printJson(objJson(obj))
        } catch (e) {
          if (conflict === 'refuse' && isDriverError(e) && e.code === 'ALREADY_EXISTS') {
            throw new DriverError(
              'ALREADY_EXISTS',
              `${e.message} (use --overwrite to replace it, or --rename to keep both)`,
            )
          }
          throw e
        } finally {
          process.off('SIGINT', onSigint)
          await source.dispose?.()
        }
      }),
    )
}

function putConflict(opts: { overwrite?: boolean; refuse?: boolean; rename?: boolean }): ConflictMode {
  if ([opts.overwrite, opts.refuse, opts.rename].filter(Boolean).length > 1)
    throw new UsageError('--overwrite, --refuse and --rename exclude each other')
  return opts.refuse ? 'refuse' : opts.rename ? 'rename' : 'overwrite'
}
