/**
 * Progress reporting (docs/contract.md §4): hashing and uploading are reported as separate phases (OpenList's progress is
 * wrong while hashing, docs/peers-and-pains.md #16), each monotonic — a part re-sent after a failure never moves the bar
 * back — and each ends with loaded === total. A throwing callback cannot break the upload.
 */
import type { Logger, UploadProgress } from '../host/types.js'

type Phase = UploadProgress['phase']

export class ProgressReporter {
  private readonly last: Record<Phase, number> = { hashing: -1, uploading: -1 }

  constructor(
    private readonly total: number,
    private readonly callback?: (p: UploadProgress) => void,
    private readonly logger?: Logger,
  ) {}

  report(phase: Phase, loaded: number): void {
    if (!this.callback) return
    const clamped = Math.min(Math.max(0, loaded), this.total)
    if (clamped <= this.last[phase]) return
    this.last[phase] = clamped
    try {
      this.callback({ phase, loaded: clamped, total: this.total })
    } catch (e) {
      this.logger?.warn(`upload progress callback threw: ${(e as Error)?.message ?? String(e)}`)
    }
  }

  /** The phase's closing report (loaded === total), once. */
  finish(phase: Phase): void {
    this.report(phase, this.total)
  }
}
