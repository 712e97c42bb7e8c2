/**
 * The tally of `put -r` and `get -r`: it lets a folder transfer go on past a failed file and report every failure at
 * the end (non-zero exit).
 */
import { printJson } from './run-command.js'

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
