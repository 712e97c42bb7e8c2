/**
 * AliyunDrive's per-user download concurrency (docs/api-notes.md §3.11: range or parallel GETs beyond the allowance,
 * 3 per user, get 403 `RequestDeniedByCallback` with `ExceedMaxConcurrency`). A GET holds its place from its first
 * byte of answer until the response is closed, whatever its outcome. Off unless the emulator is given a cap: many
 * tests read several download URLs at once on purpose, and a client is tested against the cap where it matters.
 */
export class DownloadConcurrency {
  private readonly active = new Map<string, number>()

  constructor(private max: number | false) {}

  setMax(max: number | false): void {
    this.max = max
  }

  /** Downloads running for `userId` now. */
  running(userId: string): number {
    return this.active.get(userId) ?? 0
  }

  /** A release function, or undefined when the user already has `max` downloads running. */
  enter(userId: string): (() => void) | undefined {
    const now = this.running(userId)
    if (this.max !== false && now >= this.max) return undefined
    this.active.set(userId, now + 1)
    let done = false
    return () => {
      if (done) return
      done = true
      const left = (this.active.get(userId) ?? 1) - 1
      if (left <= 0) this.active.delete(userId)
      else this.active.set(userId, left)
    }
  }
}
