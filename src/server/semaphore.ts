/**
 * A counting semaphore for proxied downloads: AliyunDrive caps concurrent downloads per user and app (about 2,
 * docs/peers-and-pains.md #17); beyond that it answers 403, so extra readers wait here instead of failing upstream.
 */
export class Semaphore {
  private active = 0
  private readonly waiters: Array<() => void> = []

  constructor(private readonly max: number) {}

  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.active < this.max) {
      this.active++
      return this.releaser()
    }
    await new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      const onAbort = () => {
        const i = this.waiters.indexOf(wake)
        if (i >= 0) this.waiters.splice(i, 1)
        const reason: unknown = signal?.reason ?? new Error('aborted')
        reject(reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiters.push(wake)
    })
    // The releasing holder handed its slot straight to us (active unchanged).
    return this.releaser()
  }

  private releaser(): () => void {
    let done = false
    return () => {
      if (done) return
      done = true
      const next = this.waiters.shift()
      if (next) next()
      else this.active--
    }
  }
}
