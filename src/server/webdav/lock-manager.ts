/**
 * WebDAV write locks (RFC 4918 §6–7): exclusive and shared, depth 0 or infinity, with timeouts. They live in memory
 * only: a restart forgets every lock (README says so), which is safe because a client that finds its token unknown
 * re-locks or saves without one. Bounded so that no one client can grow memory or deny locking to others
 * (RELIABILITY.md "WebDAV inputs are bounded"): live locks in all, per resource and per client address; a lock that
 * created its resource (RFC 4918 §7.3, our lock-null) lives at most LOCK_NULL_TIMEOUT_SEC until the resource has
 * content. Locks are indexed by root, so lock discovery costs the path's depth, not the table's size; expired locks
 * are swept at most once a second. A full table only refuses new locks: refresh and unlock never allocate.
 */
import { randomUUID } from 'node:crypto'
import { isWithin } from '../safe-path.js'
import { TooManyLocksError } from '../server-errors.js'

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
  /** Client address the lock counts against; undefined = not counted per client. */
  client?: string
  /** The LOCK created the resource: short-lived until the resource has content. */
  lockNull: boolean
  /** The timeout the client asked for (capped), granted once the resource has content. */
  requestedSec: number
}

export const MAX_LOCKS = 10_000
export const MAX_LOCKS_PER_RESOURCE = 16
export const MAX_LOCKS_PER_CLIENT = 500
export const LOCK_NULL_TIMEOUT_SEC = 120
/** Longest lock granted; "Infinite" and longer requests get this (RFC 4918 §10.7 lets the server choose). */
export const MAX_TIMEOUT_SEC = 3600
export const DEFAULT_TIMEOUT_SEC = 600

export interface NewLockOptions {
  client?: string
  lockNull?: boolean
}

const SWEEP_EVERY_MS = 1000

export class LockManager {
  private readonly byToken = new Map<string, ActiveLock>()
  private readonly byRoot = new Map<string, Set<ActiveLock>>()
  private readonly perClient = new Map<string, number>()
  private sweptAt = Number.NEGATIVE_INFINITY

  constructor(private readonly now: () => number = Date.now) {}

  /** Locks whose scope includes `path`: rooted at it, or depth-infinity locks rooted at an ancestor. */
  covering(path: string): ActiveLock[] {
    this.sweep()
    const now = this.now()
    const out: ActiveLock[] = []
    for (let at: string | undefined = path; at !== undefined; at = parentPath(at)) {
      for (const l of this.byRoot.get(at) ?? []) {
        if (l.expiresAt > now && (at === path || l.depth === 'infinity')) out.push(l)
      }
    }
    return out
  }

  /** Locks rooted strictly below `path` (they block deleting or moving `path`). */
  below(path: string): ActiveLock[] {
    const now = this.now()
    const out: ActiveLock[] = []
    for (const [root, set] of this.byRoot) {
      if (root === path || !isWithin(root, path)) continue
      for (const l of set) if (l.expiresAt > now) out.push(l)
    }
    return out
  }

  /** Existing locks a new lock on `path` with `depth` and `scope` would conflict with (RFC 4918 §6.1, §7). */
  conflicts(path: string, depth: '0' | 'infinity', scope: LockScope): ActiveLock[] {
    const overlapping = [...this.covering(path), ...(depth === 'infinity' ? this.below(path) : [])]
    return overlapping.filter((l) => l.scope === 'exclusive' || scope === 'exclusive')
  }

  get(token: string): ActiveLock | undefined {
    const l = this.byToken.get(token)
    if (l && l.expiresAt <= this.now()) {
      this.drop(l)
      return undefined
    }
    return l
  }

  create(
    root: string,
    depth: '0' | 'infinity',
    scope: LockScope,
    owner: string,
    timeoutSec: number,
    opts: NewLockOptions = {},
  ): ActiveLock {
    const full = () =>
      this.byToken.size >= MAX_LOCKS
        ? `too many active locks (at most ${MAX_LOCKS})`
        : (this.byRoot.get(root)?.size ?? 0) >= MAX_LOCKS_PER_RESOURCE
          ? `too many locks on this resource (at most ${MAX_LOCKS_PER_RESOURCE})`
          : opts.client !== undefined && (this.perClient.get(opts.client) ?? 0) >= MAX_LOCKS_PER_CLIENT
            ? `this client holds too many locks (at most ${MAX_LOCKS_PER_CLIENT})`
            : undefined
    if (full() !== undefined) this.sweep(true)
    const why = full()
    if (why !== undefined) throw new TooManyLocksError(why)
    const lockNull = opts.lockNull ?? false
    const granted = lockNull ? Math.min(timeoutSec, LOCK_NULL_TIMEOUT_SEC) : timeoutSec
    const lock: ActiveLock = {
      token: `urn:uuid:${randomUUID()}`,
      root,
      depth,
      scope,
      owner,
      timeoutSec: granted,
      expiresAt: this.now() + granted * 1000,
      ...(opts.client !== undefined ? { client: opts.client } : {}),
      lockNull,
      requestedSec: timeoutSec,
    }
    this.byToken.set(lock.token, lock)
    let set = this.byRoot.get(root)
    if (!set) this.byRoot.set(root, (set = new Set()))
    set.add(lock)
    if (lock.client !== undefined) this.perClient.set(lock.client, (this.perClient.get(lock.client) ?? 0) + 1)
    return lock
  }

  /** `hasContent`: the resource has been written, so a lock-null lock becomes an ordinary one. */
  refresh(lock: ActiveLock, timeoutSec: number, hasContent = true): void {
    if (lock.lockNull && hasContent) lock.lockNull = false
    lock.requestedSec = timeoutSec
    const granted = lock.lockNull ? Math.min(timeoutSec, LOCK_NULL_TIMEOUT_SEC) : timeoutSec
    lock.timeoutSec = granted
    lock.expiresAt = this.now() + granted * 1000
  }

  /** `path` was written: its lock-null locks become ordinary ones with the timeout their client asked for. */
  written(path: string): void {
    for (const l of this.byRoot.get(path) ?? []) {
      if (!l.lockNull) continue
      l.lockNull = false
      this.refresh(l, l.requestedSec)
    }
  }

  remove(token: string): boolean {
    const l = this.byToken.get(token)
    if (!l) return false
    this.drop(l)
    return true
  }

  /** Forgets every lock rooted at or below `path` (the resource was deleted or moved away). */
  removeTree(path: string): void {
    for (const [root, set] of this.byRoot) if (isWithin(root, path)) for (const l of set) this.drop(l)
  }

  /** Seconds left before `lock` expires, for the DAV:timeout the client sees. */
  remainingSec(lock: ActiveLock): number {
    return Math.max(0, Math.ceil((lock.expiresAt - this.now()) / 1000))
  }

  private drop(l: ActiveLock): void {
    if (!this.byToken.delete(l.token)) return
    const set = this.byRoot.get(l.root)
    set?.delete(l)
    if (set?.size === 0) this.byRoot.delete(l.root)
    if (l.client !== undefined) {
      const n = (this.perClient.get(l.client) ?? 1) - 1
      if (n > 0) this.perClient.set(l.client, n)
      else this.perClient.delete(l.client)
    }
  }

  /** Drops expired locks; at most once a second unless `now` (before counting against the limits). */
  private sweep(force = false): void {
    const now = this.now()
    if (!force && now - this.sweptAt < SWEEP_EVERY_MS) return
    this.sweptAt = now
    for (const l of this.byToken.values()) if (l.expiresAt <= now) this.drop(l)
  }
}

function parentPath(path: string): string | undefined {
  if (path === '/') return undefined
  const i = path.lastIndexOf('/')
  return i <= 0 ? '/' : path.slice(0, i)
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
