/**
 * WebDAV write locks (RFC 4918 §6–7): exclusive and shared, depth 0 or infinity, with timeouts. They live in memory
 * only: a restart forgets every lock (README says so), which is safe because a client that finds its token unknown
 * re-locks or saves without one. The number of live locks is bounded so a client cannot grow memory without limit;
 * expired locks are swept whenever the table is consulted.
 */
import { randomUUID } from 'node:crypto'
import { isWithin } from '../safe-path.js'

export type LockScope = 'exclusive' | 'shared'

export interface ActiveLock {
  token: string
  /** The path the LOCK named (the lock root). */
  root: string
  depth: '0' | 'infinity'
  scope: LockScope
  /** The client's DAV:owner content, as XML, sent back verbatim in lock discovery. */
  owner: string
  timeoutSec: number
  expiresAt: number
}

export const MAX_LOCKS = 10_000
/** Longest lock granted; "Infinite" and longer requests get this (RFC 4918 §10.7 lets the server choose). */
export const MAX_TIMEOUT_SEC = 3600
export const DEFAULT_TIMEOUT_SEC = 600

export class TooManyLocksError extends Error {}

export class LockManager {
  private readonly byToken = new Map<string, ActiveLock>()

  constructor(private readonly now: () => number = Date.now) {}

  /** Locks whose scope includes `path`: rooted at it, or depth-infinity locks rooted at an ancestor. */
  covering(path: string): ActiveLock[] {
    return this.live().filter(
      (l) => l.root === path || (l.depth === 'infinity' && isWithin(path, l.root) && path !== l.root),
    )
  }

  /** Locks rooted strictly below `path` (they block deleting or moving `path`). */
  below(path: string): ActiveLock[] {
    return this.live().filter((l) => l.root !== path && isWithin(l.root, path))
  }

  /** Existing locks a new lock on `path` with `depth` and `scope` would conflict with (RFC 4918 §6.1, §7). */
  conflicts(path: string, depth: '0' | 'infinity', scope: LockScope): ActiveLock[] {
    const overlapping = [...this.covering(path), ...(depth === 'infinity' ? this.below(path) : [])]
    return overlapping.filter((l) => l.scope === 'exclusive' || scope === 'exclusive')
  }

  get(token: string): ActiveLock | undefined {
    const l = this.byToken.get(token)
    if (l && l.expiresAt <= this.now()) {
      this.byToken.delete(token)
      return undefined
    }
    return l
  }

  create(root: string, depth: '0' | 'infinity', scope: LockScope, owner: string, timeoutSec: number): ActiveLock {
    this.sweep()
    if (this.byToken.size >= MAX_LOCKS) throw new TooManyLocksError(`too many active locks (at most ${MAX_LOCKS})`)
    const lock: ActiveLock = {
      token: `urn:uuid:${randomUUID()}`,
      root,
      depth,
      scope,
      owner,
      timeoutSec,
      expiresAt: this.now() + timeoutSec * 1000,
    }
    this.byToken.set(lock.token, lock)
    return lock
  }

  refresh(lock: ActiveLock, timeoutSec: number): void {
    lock.timeoutSec = timeoutSec
    lock.expiresAt = this.now() + timeoutSec * 1000
  }

  remove(token: string): boolean {
    return this.byToken.delete(token)
  }

  /** Forgets every lock rooted at or below `path` (the resource was deleted or moved away). */
  removeTree(path: string): void {
    for (const l of this.live()) if (isWithin(l.root, path)) this.byToken.delete(l.token)
  }

  /** Seconds left before `lock` expires, for the DAV:timeout the client sees. */
  remainingSec(lock: ActiveLock): number {
    return Math.max(0, Math.ceil((lock.expiresAt - this.now()) / 1000))
  }

  private live(): ActiveLock[] {
    this.sweep()
    return [...this.byToken.values()]
  }

  private sweep(): void {
    const now = this.now()
    for (const [token, l] of this.byToken) if (l.expiresAt <= now) this.byToken.delete(token)
  }
}

/** The Timeout request header (RFC 4918 §10.7): the first value we understand, capped; undefined = none given. */
export function parseTimeout(header: string | undefined): number | undefined {
  if (!header) return undefined
  for (const part of header.split(',').map((p) => p.trim())) {
    if (/^infinite$/i.test(part)) return MAX_TIMEOUT_SEC
    const m = /^second-(\d+)$/i.exec(part)
    if (m) return Math.max(1, Math.min(MAX_TIMEOUT_SEC, Number(m[1])))
  }
  return undefined
}
