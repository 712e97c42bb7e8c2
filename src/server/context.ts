/**
 * What every route handler gets: the file service, the auth, the link signer and the serve options. It names no front
 * end: WebDAV adds its own state (`dav`) to this interface from webdav/dav-state.ts, by declaration merging, the way a
 * fastify plugin declares what it decorates the instance with; so the server's modules never import a front end's.
 */
import type { Logger } from '../host/types.js'
import type { Account, Auth } from './auth.js'
import type { FsService } from './fs-service.js'
import type { LinkSigner } from './link-signer.js'
import type { LoginThrottle } from './login-throttle.js'
import type { PathLock } from './path-lock.js'
import type { ProxySlots } from './resumable-upstream.js'

export interface ServerContext {
  /** The authenticated account the request runs as (account-scope.ts); absent before auth and for signed links. */
  account?: Account
  fs: FsService
  auth: Auth
  /** Signs and checks /d links; in an account's context, over the drive paths behind its paths (account-scope.ts). */
  signer: Pick<LinkSigner, 'sign' | 'verify' | 'ttlSec'>
  /** The upstream slots of proxied downloads, with their stall and wait bounds (resumable-upstream.ts). */
  proxySlots: ProxySlots
  /** Serializes writes per serve path across WebDAV and the OpenList API. */
  pathLock: Pick<PathLock, 'run'>
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
