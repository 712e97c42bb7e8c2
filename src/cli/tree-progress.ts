/**
 * One progress display for a whole folder transfer: the current file, files done of total, bytes done of total,
 * speed and ETA. On a TTY one line is redrawn (throttled); otherwise a line is printed per finished file, so a log
 * shows every file once.
 */
import { duration, humanSize } from './format.js'

export class TreeProgress {
  private filesDone = 0
  private bytesDone = 0
  private current = ''
  /** Bytes moved so far of each file under way (several with --parallel). */
  private readonly inFlight = new Map<string, number>()
  private readonly started = Date.now()
  private lastDraw = 0
  private readonly tty: boolean

  constructor(
    private readonly filesTotal: number,
    private readonly bytesTotal: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly enabled = true,
  ) {
    this.tty = Boolean(out.isTTY)
  }

  /** A file starts. */
  begin(path: string): void {
    this.current = path
    this.inFlight.set(path, 0)
    this.draw(true)
  }

  /** Bytes of file `path` moved so far (monotonic within a file). */
  bytes(path: string, loaded: number): void {
    this.inFlight.set(path, Math.max(this.inFlight.get(path) ?? 0, loaded))
    this.draw(false)
  }

  /** File `path` is settled (sent, skipped or failed); `size` counts towards bytes done either way. */
  end(path: string, size: number, outcome: string): void {
    this.filesDone++
    this.bytesDone += size
    this.inFlight.delete(path)
    if (!this.enabled) return
    if (this.tty) this.draw(true)
    else this.out.write(`${this.line(`${path} ${outcome}`)}\n`)
  }

  done(): void {
    if (this.enabled && this.tty) this.out.write(`\r\x1b[K${this.line('done')}\n`)
  }

  private draw(force: boolean): void {
    if (!this.enabled || !this.tty) return
    const now = Date.now()
    if (!force && now - this.lastDraw < 100) return
    this.lastDraw = now
    const others = this.inFlight.size - 1
    this.out.write(`\r\x1b[K${this.line(others > 0 ? `${this.current} (+${others} more)` : this.current)}`)
  }

  private line(label: string): string {
    let moved = this.bytesDone
    for (const n of this.inFlight.values()) moved += n
    const secs = Math.max((Date.now() - this.started) / 1000, 0.001)
    const speed = Math.round(moved / secs)
    const eta = speed > 0 ? duration((this.bytesTotal - moved) / speed) : '--:--'
    const bytes = `${humanSize(moved)}/${humanSize(this.bytesTotal)}`
    return `[${this.filesDone}/${this.filesTotal} files, ${bytes}, ${humanSize(speed)}/s, ETA ${eta}] ${label}`
  }
}
