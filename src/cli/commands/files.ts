/** The small file commands: ls, stat, mkdir, mv, cp, rename, rm, link, df. Remote paths are mount-absolute. */
import type { Command } from 'commander'
import { normalizePath } from '../../paths/mount-path.js'
import type { ConflictMode } from '../../host/types.js'
import { UsageError } from '../exit-codes.js'
import { humanSize, lsLine, objJson } from '../format.js'
import { printJson, withDriver } from '../run-command.js'

function conflictOf(opts: { overwrite?: boolean; rename?: boolean }): ConflictMode {
  if (opts.overwrite && opts.rename) throw new UsageError('--overwrite and --rename exclude each other')
  return opts.overwrite ? 'overwrite' : opts.rename ? 'rename' : 'refuse'
}

function addConflictOptions(c: Command): Command {
  return c
    .option('--overwrite', 'replace an object holding the target name')
    .option('--rename', 'let the server pick a free name if the target is taken')
}

export function registerFileCommands(program: Command): void {
  program
    .command('ls')
    .description('list a folder')
    .argument('[path]', 'remote folder', '/')
    .option('-l, --long', 'show kind, size and modification time')
    .action((path: string, opts: { long?: boolean }, cmd: Command) =>
      withDriver(cmd, async (d, g) => {
        const dir = await d.get(normalizePath(path))
        const children = dir.isFolder ? await d.list(dir) : [dir]
        if (g.json) return printJson(children.map(objJson))
        for (const c of children)
          process.stdout.write(`${opts.long ? lsLine(c) : `${c.name}${c.isFolder ? '/' : ''}`}\n`)
      }),
    )

  program
    .command('stat')
    .description('show one object')
    .argument('<path>', 'remote path')
    .action((path: string, _o: unknown, cmd: Command) =>
      withDriver(cmd, async (d, g) => {
        const o = await d.get(normalizePath(path))
        if (g.json) return printJson(objJson(o))
        const rows = objJson(o)
        for (const [k, v] of Object.entries(rows)) process.stdout.write(`${k.padEnd(9)} ${String(v)}\n`)
      }),
    )

  program
    .command('mkdir')
    .description('create a folder and its missing parents')
    .argument('<path>', 'remote folder')
    .action((path: string, _o: unknown, cmd: Command) =>
      withDriver(cmd, async (d, g) => {
        let current = d.getRoot()
        for (const name of normalizePath(path).split('/').filter(Boolean)) current = await d.makeDir(current, name)
        if (g.json) printJson(objJson(current))
      }),
    )

  for (const kind of ['mv', 'cp'] as const) {
    addConflictOptions(
      program
        .command(kind)
        .description(kind === 'mv' ? 'move an object into a folder' : 'copy an object into a folder')
        .argument('<src>', 'remote object')
        .argument('<dst-dir>', 'remote destination folder'),
    ).action((src: string, dst: string, opts: { overwrite?: boolean; rename?: boolean }, cmd: Command) =>
      withDriver(cmd, async (d, g) => {
        const obj = await d.get(normalizePath(src))
        const dir = await d.get(normalizePath(dst))
        const conflict = conflictOf(opts)
        // A copy into its own folder without --rename is refused by the driver (src/driver/transfer-steps.ts).
        const result = kind === 'mv' ? await d.move(obj, dir, { conflict }) : await d.copy(obj, dir, { conflict })
        if (g.json) printJson(objJson(result))
      }),
    )
  }

  addConflictOptions(
    program
      .command('rename')
      .description('rename an object in place')
      .argument('<path>', 'remote object')
      .argument('<new-name>', 'new name'),
  ).action((path: string, name: string, opts: { overwrite?: boolean; rename?: boolean }, cmd: Command) =>
    withDriver(cmd, async (d, g) => {
      const result = await d.rename(await d.get(normalizePath(path)), name, { conflict: conflictOf(opts) })
      if (g.json) printJson(objJson(result))
    }),
  )

  program
    .command('rm')
    .description('remove objects (to the recycle bin or for good, per remove_way)')
    .argument('<paths...>', 'remote objects')
    .action((paths: string[], _o: unknown, cmd: Command) =>
      withDriver(cmd, async (d) => {
        for (const p of paths) await d.remove(await d.get(normalizePath(p)))
      }),
    )

  program
    .command('link')
    .description('print a direct AliyunDrive download URL (it expires; see expires_at)')
    .argument('<path>', 'remote file')
    .action((path: string, _o: unknown, cmd: Command) =>
      withDriver(cmd, async (d, g) => {
        const link = await d.link(await d.get(normalizePath(path)))
        if (g.json)
          return printJson({
            url: link.url,
            expires_at: link.expiresAt?.toISOString() ?? null,
            headers: link.headers ?? {},
          })
        process.stdout.write(`${link.url}\n`)
      }),
    )

  program
    .command('df')
    .description('show total and used space')
    .action((_o: unknown, cmd: Command) =>
      withDriver(cmd, async (d, g) => {
        const s = await d.details()
        if (g.json) return printJson({ total: s.totalSpace, used: s.usedSpace, free: s.totalSpace - s.usedSpace })
        process.stdout.write(
          `total ${humanSize(s.totalSpace)}  used ${humanSize(s.usedSpace)}  free ${humanSize(s.totalSpace - s.usedSpace)}\n`,
        )
      }),
    )
}
