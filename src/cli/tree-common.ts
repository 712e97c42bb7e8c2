/**
 * What `put -r` and `get -r` share: local tree walking, file SHA-1, and the tally that lets a folder transfer go on
 * past a failed file and report every failure at the end (non-zero exit).
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { printJson } from './run-command.js'

export interface LocalFile {
  /** '/'-separated path relative to the root. */
  rel: string
  abs: string
  size: number
}

/** Regular files and folders under `root` (symbolic links and other kinds are listed as skipped). */
export async function walkLocal(root: string): Promise<{ files: LocalFile[]; folders: string[]; skipped: string[] }> {
  const files: LocalFile[] = []
  const folders: string[] = []
  const skipped: string[] = []
  const visit = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true })
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const e of entries) {
      const abs = join(dir, e.name)
      const rel = relative(root, abs).split(sep).join('/')
      if (e.isDirectory()) {
        folders.push(rel)
        await visit(abs)
      } else if (e.isFile()) {
        files.push({ rel, abs, size: (await stat(abs)).size })
      } else {
        skipped.push(rel)
      }
    }
  }
  await visit(root)
  return { files, folders, skipped }
}

export async function sha1OfFile(path: string): Promise<string> {
  const hash = createHash('sha1')
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

export class TreeTally {
  transferred = 0
  skipped = 0
  bytesSent = 0
  readonly failures: Array<{ path: string; error: string }> = []

  fail(path: string, e: unknown): void {
    this.failures.push({ path, error: messageOf(e) })
  }

  /** Prints the summary (JSON with --json) and every failure; throws when any file failed, for a non-zero exit. */
  finish(
    verb: 'uploaded' | 'downloaded',
    total: number,
    json: boolean,
    err: NodeJS.WritableStream = process.stderr,
  ): void {
    if (json) {
      printJson({
        files: total,
        [verb]: this.transferred,
        skipped: this.skipped,
        bytes: this.bytesSent,
        failed: this.failures,
      })
    } else {
      err.write(
        `${this.transferred} ${verb}, ${this.skipped} already up to date, ${this.failures.length} failed (of ${total} files)\n`,
      )
    }
    for (const f of this.failures) err.write(`failed: ${f.path}: ${f.error}\n`)
    if (this.failures.length > 0) {
      // A plain error: exit code 1, whatever kinds of failure were mixed.
      throw new Error(`${this.failures.length} of ${total} files failed (listed above)`)
    }
  }
}
