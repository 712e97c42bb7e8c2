/** What the WebDAV front end keeps beyond the drive itself: locks (memory), dead properties (SQLite), quota figures. */
import type { FsService } from '../fs-service.js'
import { DeadPropsStore } from './dead-props.js'
import { LockManager } from './lock-manager.js'
import { QuotaCache } from './quota.js'

export interface DavState {
  locks: LockManager
  props: DeadPropsStore
  quota: QuotaCache
}

/** `propsFile`: the SQLite file for dead properties (in the serve state folder); undefined keeps them in memory. */
export function createDavState(fs: FsService, propsFile?: string): DavState {
  return { locks: new LockManager(), props: new DeadPropsStore(propsFile), quota: new QuotaCache(() => fs.details()) }
}
