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
  private currentBytes = 0
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
    this.currentBytes = 0
    this.draw(true)
  }

  /** Bytes of the current file moved so far (monotonic within a file). */
  bytes(loaded: number): void {
    this.currentBytes = Math.max(this.currentBytes, loaded)
    this.draw(false)
  }

  /** The current file is settled (sent, skipped or failed); `size` counts towards bytes done either way. */
  end(size: number, outcome: string): void {
    this.filesDone++
    this.bytesDone += size
    this.currentBytes = 0
    if (!this.enabled) return
    if (this.tty) this.draw(true)
    else this.out.write(`${this.line(`${this.current} ${outcome}`)}\n`)
  }

  done(): void {
    if (this.enabled && this.tty) this.out.write(`\r\x1b[K${this.line('done')}\n`)
  }

  private draw(force: boolean): void {
    if (!this.enabled || !this.tty) return
    const now = Date.now()
    if (!force && now - this.lastDraw < 100) return
    this.lastDraw = now
    this.out.write(`\r\x1b[K${this.line(this.current)}`)
  }

  private line(label: string): string {
    const moved = this.bytesDone + this.currentBytes
    const secs = Math.max((Date.now() - this.started) / 1000, 0.001)
    const speed = Math.round(moved / secs)
    const eta = speed > 0 ? duration((this.bytesTotal - moved) / speed) : '--:--'
    const bytes = `${humanSize(moved)}/${humanSize(this.bytesTotal)}`
    return `[${this.filesDone}/${this.filesTotal} files, ${bytes}, ${humanSize(speed)}/s, ETA ${eta}] ${label}`
  }
}
