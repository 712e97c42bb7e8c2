/**
 * The `serve` HTTP server: one port, three front ends — `/api` (OpenList's HTTP API), `/dav` (WebDAV) and `/d`
 * (signed download links) — over one FsService, so the listing cache and its invalidation are shared by all.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { Logger, StorageDriver } from '../host/types.js'
import { DEFAULT_TOKEN_LIFETIME_HOURS } from './api-sessions.js'
import { Auth, basicCredentials, type Credentials } from './auth.js'
import {
  applyServerTimeouts,
  armBodyDeadline,
  closeAfterAnswer,
  DEFAULT_TIMEOUTS,
  isUploadRequest,
  type ServerTimeouts,
} from './body-limits.js'
import { capConnections, DEFAULT_CONNECTION_CAPS, type ConnectionCaps } from './connection-cap.js'
import type { ServerContext } from './context.js'
import { handleDownload } from './download-route.js'
import { FsService } from './fs-service.js'
import { sendJson, sendText } from './http-io.js'
import { LinkSigner } from './link-signer.js'
import { LoginThrottle, type LoginThrottleOptions } from './login-throttle.js'
import { awaitPasswordTurn, throttledAnswer } from './password-turn.js'
import { handleArchiveExtract } from './openlist/archive/extract-route.js'
import { handlePublic } from './openlist/public.js'
import { handleApi } from './openlist/router.js'
import { resolveOrigin, type TrustedProxies } from './request-origin.js'
import { rawPathOf } from './safe-path.js'
import { PathLock } from './path-lock.js'
import { ProxySlots } from './resumable-upstream.js'
import { createDavState } from './webdav/dav-state.js'
import { repairMoves } from './webdav/move-repair.js'
import { loadTlsPair, type TlsFiles } from './tls-files.js'
import type { UserEntry } from './users-file.js'
import { createUiHandler, type UiHandler } from './ui/ui-route.js'
import { handleDav } from './webdav/handler.js'
import { removeDeadScratch } from './scratch-dir.js'

export const DAV_PREFIX = '/dav'

export interface ServeOptions {
  /** One storage mounted at /; or give `fs` (a MountTable of many storages) instead. */
  driver?: StorageDriver
  fs?: FsService
  credentials: Credentials
  /** Signs /d links and derives the API token; keep it stable so OpenList's cached raw_url and token survive restarts. */
  secret?: Buffer
  host?: string
  /** 0 = any free port. */
  port?: number
  /** Lifetime of new /d links in seconds; 0 = forever (OpenList caches raw_url forever). */
  linkTtlSec?: number
  proxyDownloads?: boolean
  davRedirect?: boolean
  /** Concurrent proxied downloads (AliyunDrive caps them per user and app). Default 2. */
  proxyConcurrency?: number
  /** A proxied download whose client takes no bytes for this long gives its slot back (resumes later). Default 5 s. */
  proxyStallMs?: number
  /** How long a proxied download waits for a slot before 503 + Retry-After. Default 15 s. */
  proxySlotWaitMs?: number
  listTtlMs?: number
  publicUrl?: string
  /** SQLite file for WebDAV dead properties (in the serve state folder); default: kept in memory only. */
  davPropsFile?: string
  logger?: Logger
  /** Serve OpenList's web UI at `/` (`serve` turns it on unless --no-ui; off by default for embedders and tests). */
  ui?: boolean
  /** Spacing of password checks per (address, user) (README "Password guessing"); false = off. */
  loginThrottle?: Partial<LoginThrottleOptions> | false
  /** Bytes one archive decompress request may extract; default 16 GiB (src/server/openlist/archive/zip-guards.ts). */
  archiveExtractLimit?: number
  /** Header, body and idle time limits (src/server/body-limits.ts). */
  timeouts?: Partial<ServerTimeouts>
  /** Serve HTTPS (everything, on the one port) with this certificate and key (README "HTTPS"). */
  tls?: TlsFiles
  /** Proxies whose X-Forwarded-For/-Host/-Proto are believed (`serve --trust-proxy`); none by default. */
  trustProxy?: TrustedProxies
  /** Accounts beside the admin (`serve --users`, README "Accounts"). */
  users?: readonly UserEntry[]
  /** Every account, the admin too, read-only (`serve --read-only`). */
  readOnly?: boolean
  /** Open connections at once, in total and per client address; over either, 503 (src/server/connection-cap.ts). */
  connectionCaps?: Partial<ConnectionCaps>
  /** Lifetime of an API token (a session) in hours; default 48, OpenList's `token_expires_in` (README "Auth"). */
  tokenExpiresInHours?: number
}

export interface RunningServer {
  url: string
  apiUrl: string
  davUrl: string
  /** An API token (a session of its own) issued at start, for the banner and for tests. */
  token: string
  fs: FsService
  /** A signed /d URL for `path` (for the banner and the CLI's `link`). */
  signedUrl(path: string): string
  /** Replaces the accounts of `users` (the admin stays): `serve` calls it on SIGHUP after reading the file again. */
  setUsers(users: readonly UserEntry[]): void
  /** Reads the TLS files again and uses them for new connections (open ones keep theirs); no-op without TLS. */
  reloadTls(): Promise<void>
  close(): Promise<void>
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const secret = opts.secret ?? randomBytes(32)
  // Request bodies a killed process spooled stay on disk until a start removes them (scratch-dir.ts).
  void removeDeadScratch()
  if (!opts.fs && !opts.driver) throw new Error('startServer needs a driver or a file service')
  const fs = opts.fs ?? new FsService(opts.driver!, opts.listTtlMs !== undefined ? { listTtlMs: opts.listTtlMs } : {})
  const loginThrottle = opts.loginThrottle === false ? undefined : new LoginThrottle(opts.loginThrottle ?? {})
  const dav = createDavState(fs, opts.davPropsFile)
  // A MOVE killed between its two steps is settled before anything is served (RELIABILITY.md "Files on disk").
  await repairMoves(fs, dav.moves, opts.logger)
  const ctx: ServerContext = {
    fs,
    auth: new Auth(opts.credentials, secret, {
      throttle: loginThrottle,
      tokenLifetimeMs: tokenLifetimeMs(opts.tokenExpiresInHours),
      allReadOnly: opts.readOnly ?? false,
    }),
    signer: new LinkSigner(secret, opts.linkTtlSec ?? 0),
    proxySlots: new ProxySlots(opts.proxyConcurrency ?? 2, opts.proxyStallMs, opts.proxySlotWaitMs),
    pathLock: new PathLock(),
    dav,
    proxyDownloads: opts.proxyDownloads ?? false,
    davRedirect: opts.davRedirect ?? false,
    ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(loginThrottle ? { loginThrottle } : {}),
    ...(opts.archiveExtractLimit !== undefined ? { archiveExtractLimit: opts.archiveExtractLimit } : {}),
  }
  if (opts.users) ctx.auth.setUsers(opts.users)
  // Loaded before listening, so a missing UI install fails the start with the fix instead of a broken page later.
  const ui = opts.ui ? createUiHandler() : undefined
  const timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts }
  // requestTimeout 0: Node's default (5 min for the whole request) would cut off large uploads mid-body; the body
  // deadline of everything that is not an upload, and the idle limit, take its place.
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    resolveOrigin(req, opts.trustProxy)
    void admitted(ctx, ui, req, res, timeouts.bodyMs)
  }
  const httpOptions = { requestTimeout: 0, headersTimeout: timeouts.headersMs }
  // One port, one protocol: with TLS a plain-HTTP request fails the handshake and gets no page (README "HTTPS").
  const pair = opts.tls ? await loadTlsPair(opts.tls) : undefined
  const server: Server | HttpsServer = pair
    ? createHttpsServer({ ...httpOptions, cert: pair.cert, key: pair.key }, onRequest)
    : createServer(httpOptions, onRequest)
  applyServerTimeouts(server, timeouts)
  capConnections(server, { ...DEFAULT_CONNECTION_CAPS, ...opts.connectionCaps })
  const host = opts.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 5244, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const scheme = opts.tls ? 'https' : 'http'
  const url = opts.publicUrl?.replace(/\/+$/, '') ?? `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`
  return {
    url,
    apiUrl: `${url}/api`,
    davUrl: `${url}${DAV_PREFIX}/`,
    token: ctx.auth.issueToken(),
    fs,
    signedUrl: (path) =>
      `${url}/d${path.split('/').map(encodeURIComponent).join('/')}?sign=${encodeURIComponent(ctx.signer.sign(path))}`,
    setUsers: (users) => ctx.auth.setUsers(users),
    reloadTls: async () => {
      if (!opts.tls || !('setSecureContext' in server)) return
      const renewed = await loadTlsPair(opts.tls)
      server.setSecureContext({ cert: renewed.cert, key: renewed.key })
    },
    close: async () => {
      await closeServer(server)
      dav.props.close()
      dav.moves.close()
    },
  }
}

/**
 * Authentication is decided from the headers, before a byte of the body is read (RELIABILITY.md, "Unauthenticated
 * bodies hold nothing"): a Basic password waits for its turn first (login-throttle.ts), and only an authenticated
 * upload may take long over its body.
 */
async function admitted(
  ctx: ServerContext,
  ui: UiHandler | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  bodyMs: number,
): Promise<void> {
  const rawPath = rawPathOf(req.url ?? '/')
  const basic = ctx.loginThrottle && !ctx.auth.recentlyAccepted(req) ? basicCredentials(req) : undefined
  const retryMs = basic ? await awaitPasswordTurn(ctx, req, basic.user) : 0
  const authenticated = retryMs === 0 && ctx.auth.checkRequest(req)
  if (!authenticated) closeAfterAnswer(req, res)
  if (!(authenticated && isUploadRequest(req, rawPath))) armBodyDeadline(req, res, bodyMs)
  await route(ctx, ui, req, res, retryMs)
}

async function route(
  ctx: ServerContext,
  ui: UiHandler | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  retryMs: number,
): Promise<void> {
  const target = req.url ?? '/'
  const rawPath = rawPathOf(target)
  const query = new URLSearchParams(target.slice(rawPath.length).replace(/^\?/, '').replace(/#.*$/, ''))
  try {
    if (retryMs > 0) return throttled(req, res, rawPath, retryMs)
    if (rawPath === DAV_PREFIX || rawPath.startsWith(`${DAV_PREFIX}/`))
      return await handleDav(ctx, DAV_PREFIX, req, res, rawPath.slice(DAV_PREFIX.length))
    if (rawPath.startsWith('/d/')) return await handleDownload(ctx, req, res, rawPath.slice(2), query)
    if (rawPath.startsWith('/p/')) return await handleDownload(ctx, req, res, rawPath.slice(2), query, true)
    if (rawPath.startsWith('/ae/')) return await handleArchiveExtract(ctx, req, res, rawPath.slice(3), query)
    if (handlePublic(req, res, rawPath)) return
    if (rawPath.startsWith('/api/')) return await handleApi(ctx, req, res, rawPath)
    if (ui && (await ui.handle(req, res, rawPath))) return
    req.resume()
    if (rawPath === '/' && req.method === 'GET')
      return sendText(res, 200, 'aliyundrive-open: OpenList API at /api, WebDAV at /dav/, downloads at /d/\n')
    sendText(res, 404, 'not found\n')
  } catch (e) {
    // Handlers answer their own errors; this is the last line against a crash from a bug.
    const from = resolveOrigin(req).address
    ctx.logger?.error(`unhandled error on ${req.method} ${rawPath} from ${from}: ${(e as Error).message}`)
    if (!res.headersSent) sendText(res, 500, 'internal server error\n')
    else res.destroy()
  }
}

/** 429 before the password is looked at; the body says when to come back, in the shape the front end speaks. */
function throttled(req: IncomingMessage, res: ServerResponse, rawPath: string, retryMs: number): void {
  req.resume()
  const { message, headers } = throttledAnswer(retryMs)
  if (rawPath.startsWith('/api/')) return sendJson(res, 429, { code: 429, message, data: null }, headers)
  sendText(res, 429, `${message}\n`, headers)
}

function tokenLifetimeMs(hours: number | undefined): number {
  if (hours === undefined) return DEFAULT_TOKEN_LIFETIME_HOURS * 3_600_000
  if (!(hours > 0) || !Number.isFinite(hours))
    throw new Error(`the token lifetime must be a positive number of hours, got ${hours}`)
  return hours * 3_600_000
}

function closeServer(server: Server | HttpsServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}
