/** What every route handler gets: the file service, the auth, the link signer and the serve options. */
import type { Logger } from '../host/types.js'
import type { Account, Auth } from './auth.js'
import type { FsService } from './fs-service.js'
import type { LinkSigner } from './link-signer.js'
import type { LoginThrottle } from './login-throttle.js'
import type { PathLock } from './path-lock.js'
import type { Semaphore } from './semaphore.js'
import type { DavState } from './webdav/dav-state.js'

export interface ServerContext {
  /** The authenticated account the request runs as (account-scope.ts); absent before auth and for signed links. */
  account?: Account
  fs: FsService
  auth: Auth
  /** Signs and checks /d links; in an account's context, over the drive paths behind its paths (account-scope.ts). */
  signer: Pick<LinkSigner, 'sign' | 'verify' | 'ttlSec'>
  proxySlots: Semaphore
  /** Serializes writes per serve path across WebDAV and the OpenList API. */
  pathLock: Pick<PathLock, 'run'>
  /** WebDAV locks, dead properties and quota. */
  dav: DavState
  /** `/d/` links proxy bytes instead of redirecting (also per request with `?proxy=1`). */
  proxyDownloads: boolean
  /** WebDAV GET redirects to AliyunDrive instead of streaming (clients must follow 302: rclone yes, litmus no). */
  davRedirect: boolean
  /** Base URL for absolute links, when clients reach us through a proxy; default: from the Host header. */
  publicUrl?: string
  logger?: Logger
  /** Bytes one archive decompress request may extract (zip-guards.ts); absent = the default there. */
  archiveExtractLimit?: number
  /** Per-address back-off for password checks; absent = off. */
  loginThrottle?: LoginThrottle
}
