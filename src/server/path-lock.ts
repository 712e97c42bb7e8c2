/**
 * Per-path serialization of writes through `serve` (WebDAV and the OpenList API alike). AliyunDrive has no atomic
 * "replace this name": an overwrite is upload-then-remove-the-old-one, so two overlapping writes to one path each
 * see the other's file as "the old one" or none at all and leave several same-name files. Writes that name the
 * same path therefore run one after another, in arrival order. Keys are full serve paths, so this holds across
 * mounts too. A request naming several paths (MOVE, COPY, rename) takes them all, sorted, so two requests that
 * name the same pair in opposite order cannot deadlock.
 */
export class PathLock {
  /** The tail of each path's queue: resolves when the last holder queued so far has released it. */
  private readonly tails = new Map<string, Promise<void>>()

  /** Runs `fn` while holding every path in `paths` (duplicates allowed). */
  async run<T>(paths: string[], fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire(paths)
    try {
      return await fn()
    } finally {
      release()
    }
  }

  /** Paths currently held or waited for (for tests and diagnostics). */
  get size(): number {
    return this.tails.size
  }

  private async acquire(paths: string[]): Promise<() => void> {
    const releases: Array<() => void> = []
    for (const path of [...new Set(paths)].sort()) releases.push(await this.acquireOne(path))
    return () => {
      for (const r of releases.reverse()) r()
    }
  }

  private async acquireOne(path: string): Promise<() => void> {
    const previous = this.tails.get(path) ?? Promise.resolve()
    let release!: () => void
    const mine = new Promise<void>((resolve) => (release = resolve))
    const tail = previous.then(() => mine)
    this.tails.set(path, tail)
    await previous
    return () => {
      release()
      // Forget the path once nobody queued behind us, so the map holds only paths in use.
      if (this.tails.get(path) === tail) this.tails.delete(path)
    }
  }
}
