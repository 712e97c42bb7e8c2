/** What the WebDAV front end keeps beyond the drive itself: locks (memory), dead properties (SQLite), quota figures. */
import type { FsService } from '../fs-service.js'
import { DeadPropsStore } from './dead-props.js'
import { LockManager } from './lock-manager.js'
import { QuotaCache } from './quota.js'

export interface DavState {
  locks: LockManager
  props: DeadPropsStore
  quota: QuotaCache
  /**
   * The state an account works in (account-scope.ts, README "Accounts"): the writable admin shares the server's
   * locks, every other account gets locks of its own; properties and quota are the drive's and shared.
   */
  forAccount(sharesLocks: boolean): DavState
}

declare module '../context.js' {
  interface ServerContext {
    /** WebDAV locks, dead properties and quota. */
    dav: DavState
  }
}

/** `propsFile`: the SQLite file for dead properties (in the serve state folder); undefined keeps them in memory. */
export function createDavState(fs: FsService, propsFile?: string): DavState {
  return withLocks(new LockManager(), new DeadPropsStore(propsFile), new QuotaCache(() => fs.details()))
}

function withLocks(locks: LockManager, props: DeadPropsStore, quota: QuotaCache): DavState {
  const state: DavState = {
    locks,
    props,
    quota,
    forAccount: (sharesLocks) => (sharesLocks ? state : withLocks(new LockManager(), props, quota)),
  }
  return state
}
