/**
 * A progress line on stderr: phase, percent, bytes, speed and ETA. On a TTY it redraws one line (throttled); otherwise
 * it prints a line when a phase starts and ends, so logs stay readable. No dependency: a carriage return is enough.
 */
import { duration, humanSize } from './format.js'

export class Progress {
  private phase = ''
  private phaseStart = 0
  private lastDraw = 0
  private readonly tty: boolean

  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly enabled = true,
  ) {
    this.tty = Boolean(out.isTTY)
  }

  update(phase: string, loaded: number, total: number): void {
    if (!this.enabled) return
    const now = Date.now()
    if (phase !== this.phase) {
      if (this.phase) this.finishPhase()
      this.phase = phase
      this.phaseStart = now
      this.lastDraw = 0
      if (!this.tty) this.out.write(`${this.label}: ${phase} ${humanSize(total)}\n`)
    }
    if (this.tty && (now - this.lastDraw >= 100 || loaded >= total)) {
      this.lastDraw = now
      this.out.write(`\r\x1b[K${this.render(loaded, total, now)}`)
    }
    this.lastLoaded = loaded
    this.lastTotal = total
  }

  private lastLoaded = 0
  private lastTotal = 0

  private render(loaded: number, total: number, now: number): string {
    const secs = Math.max((now - this.phaseStart) / 1000, 0.001)
    const speed = loaded / secs
    const pct = total > 0 ? Math.floor((loaded / total) * 100) : 100
    const width = 20
    const filled = total > 0 ? Math.round((loaded / total) * width) : width
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`
    const eta = speed > 0 ? duration((total - loaded) / speed) : '--:--'
    // A phase that ends within a few ms (a rapid-upload hit sends no byte) has no meaningful speed.
    const tooShort = now - this.phaseStart < 50
    const rate = tooShort ? (loaded >= total ? 'instant' : '--') : `${humanSize(speed)}/s`
    return (
      `${this.label} ${this.phase.padEnd(9)} ${bar} ${String(pct).padStart(3)}% ` +
      `${humanSize(loaded)}/${humanSize(total)} ${rate} ETA ${eta}`
    )
  }

  private finishPhase(): void {
    const secs = (Date.now() - this.phaseStart) / 1000
    if (this.tty) this.out.write(`\r\x1b[K${this.render(this.lastLoaded, this.lastTotal, Date.now())}\n`)
    else this.out.write(`${this.label}: ${this.phase} done, ${humanSize(this.lastLoaded)} in ${secs.toFixed(1)} s\n`)
  }

  done(): void {
    if (this.enabled && this.phase) this.finishPhase()
    this.phase = ''
  }
}
