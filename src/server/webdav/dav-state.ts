/**
 * What the WebDAV front end keeps beyond the drive itself: locks (memory), dead properties and the intents of
 * two-step moves (SQLite), quota figures.
 */
import type { FsService } from '../fs-service.js'
import { DeadPropsStore } from './dead-props.js'
import { LockManager } from './lock-manager.js'
import { MoveJournal, recorderWithin, type MoveRecorder } from './move-journal.js'
import { QuotaCache } from '../space-cache.js'

export interface DavState {
  locks: LockManager
  props: DeadPropsStore
  /** The whole journal at the server level; an account's context writes through its view (account-scope.ts). */
  moves: MoveRecorder
  quota: QuotaCache
  /**
   * The state an account works in (account-scope.ts, README "Accounts"): the writable admin shares the server's
   * locks, every other account gets locks of its own; properties and quota are the drive's and shared. The move
   * journal is shared too, written in server paths: `real` maps the account's paths to them.
   */
  forAccount(sharesLocks: boolean, real: (path: string) => string): DavState
}

declare module '../context.js' {
  interface ServerContext {
    /** WebDAV locks, dead properties and quota. */
    dav: DavState
  }
}

/** `propsFile`: the SQLite file for dead properties (in the serve state folder); undefined keeps them in memory. */
export function createDavState(fs: FsService, propsFile?: string): DavState & { moves: MoveJournal } {
  const moves = new MoveJournal(propsFile)
  const server = stateOf(new LockManager(), new DeadPropsStore(propsFile), moves, new QuotaCache(() => fs.details()))
  return { ...server, moves }
}

function stateOf(locks: LockManager, props: DeadPropsStore, moves: MoveRecorder, quota: QuotaCache): DavState {
  return {
    locks,
    props,
    moves,
    quota,
    forAccount: (sharesLocks, real) =>
      stateOf(sharesLocks ? locks : new LockManager(), props, recorderWithin(moves, real), quota),
  }
}
