/**
 * What the WebDAV front end keeps beyond the drive itself: locks (memory), dead properties and the intents of
 * two-step moves (SQLite), quota figures.
 */
import type { FsService } from '../fs-service.js'
import { DeadPropsStore } from './dead-props.js'
import { LockManager } from './lock-manager.js'
import { MoveJournal, type MoveRecorder } from './move-journal.js'
import { QuotaCache } from './quota.js'

export interface DavState {
  locks: LockManager
  props: DeadPropsStore
  /** The whole journal at the server level; an account's context writes through its view (account-scope.ts). */
  moves: MoveRecorder
  quota: QuotaCache
}

/** `propsFile`: the SQLite file for dead properties (in the serve state folder); undefined keeps them in memory. */
export function createDavState(fs: FsService, propsFile?: string): DavState & { moves: MoveJournal } {
  const props = new DeadPropsStore(propsFile)
  return {
    locks: new LockManager(),
    props,
    moves: new MoveJournal(propsFile),
    quota: new QuotaCache(() => fs.details()),
  }
}
