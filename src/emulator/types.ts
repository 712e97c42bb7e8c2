/**
 * Public option and handle types of the AliyunDrive Open API emulator (docs/contract.md §5).
 */

export type DriveType = 'default' | 'resource' | 'backup'

/** Requests per second per (user, app, class) — docs/api-notes.md §5.1. */
export interface RateLimits {
  list: number
  link: number
  other: number
}

/** Fault injection. Every random decision comes from a seeded PRNG, so a run is reproducible. */
export interface FaultOptions {
  seed?: number
  /** Share (0..1) of API calls answered 500 InternalError / 503 ServiceUnavailable without being applied. */
  errorRate?: number
  /** Share (0..1) of API calls whose socket is destroyed without an answer. Such calls are never applied. */
  dropRate?: number
  /** Forces the next N API calls to 429 TooManyRequests. */
  rateLimitBurst?: number
  /**
   * The download URLs listings carry (docs/api-notes.md §3.0) serve other bytes of the same size: what a wrong or
   * stale listing would hand out. Applies to URLs listed while it is on; getDownloadUrl's links stay correct.
   */
  listedUrlsServeOtherBytes?: boolean
  /** Data-plane URLs (upload and download) are rejected as expired, whatever their x-oss-expires says. */
  expireUrlsEarly?: boolean
  /** Delay added before every API call is handled. */
  latencyMs?: number
  /**
   * Delay before a download GET is answered, while it holds its place under `maxConcurrentDownloads`: on loopback a
   * download ends within a millisecond, so without it no two downloads overlap and a cap is never put to the test.
   */
  downloadLatencyMs?: number
  /** Share (0..1) of part PUTs answered 500 after the body was read; the part is not stored. */
  partFailRate?: number
  /**
   * Share (0..1) of successful API calls that ARE applied but whose answer is lost (socket destroyed): what a
   * dropped connection after the server acted looks like to a client. Drawn from its own stream.
   */
  lostAnswerRate?: number
  /** Limits lostAnswerRate to these API paths (default: every API path). */
  lostAnswerPaths?: string[]
  /**
   * A repeated `complete` answers 400 NotFound.UploadId instead of the file again. What the real service answers is
   * not documented; clients must survive either.
   */
  repeatedCompleteFails?: boolean
  /**
   * API calls to these paths are held: never applied, never answered, until the client goes away. A crash test
   * kills its client while such a call is open, so the kill falls exactly between two calls.
   */
  holdPaths?: string[]
}

/** One entry of the initial tree. Parents are created as needed. */
export interface SeedEntry {
  path: string
  /** Default 'resource'. */
  drive?: DriveType
  folder?: boolean
  content?: Uint8Array | string
  /** Deterministic pseudo-random bytes of this length (never held in memory; generated when read). */
  size?: number
}

export interface EmulatorOptions {
  port?: number
  host?: string | undefined
  /**
   * Concurrent download GETs per user; one more is answered 403 `RequestDeniedByCallback` / `ExceedMaxConcurrency`
   * (docs/api-notes.md §3.11: AliyunDrive allows 3). Default false: no cap.
   */
  maxConcurrentDownloads?: number | false
  /** false disables rate limiting; default 4/1/15 per second (docs/api-notes.md §5.1). */
  limits?: RateLimits | false
  accessTokenTtlSec?: number
  /** How long the previous access token keeps working after a refresh (docs/api-notes.md §2.1: "not invalidated immediately"). */
  accessTokenGraceSec?: number
  uploadUrlTtlSec?: number
  /**
   * Cap applied to `expire_sec` / `url_expire_sec` (requests above it are clamped). Default 900 s, what real
   * download links live for ordinary apps (AList#3610); set it higher to emulate an app allowed longer links.
   */
  downloadUrlTtlSec?: number
  clientId?: string
  clientSecret?: string
  /** Which drives are granted. The default drive always exists (docs/api-notes.md §3.1: `default_drive_id` is always present). */
  drives?: DriveType[]
  /** File bytes are streamed to and from this directory instead of memory. */
  storageDir?: string | undefined
  seed?: SeedEntry[]
  faults?: FaultOptions
  /** Bytes; default 1 TiB. */
  totalSpace?: number
  /** How many times `async_task/get` answers `Running` before `Succeed` (default 1). */
  asyncTaskRunningPolls?: number
  /** How long a QR-code login waits to be scanned before its status turns QRCodeExpired; default 180 s. */
  qrCodeTtlSec?: number
  /**
   * With `storageDir`: keep users, drives, files, tokens and unfinished uploads (with their parts) in that folder
   * across restarts — loaded at start (the seed applies only to a fresh folder), saved at close, never removed.
   */
  persist?: boolean
  /** How long an unfinished upload lives before its upload id is unknown and its parts are dropped (default 10 days). */
  uploadSessionTtlSec?: number
  /**
   * list/get answers carry a download `url` for files under 5 MB, images excepted (docs/api-notes.md §3.0); default
   * true. false: no `url` on any file object, the opposite behaviour a client must also handle.
   */
  listedUrls?: boolean
  /**
   * list/get/search answers carry a Live Photo's `streams_info` (each stream's size); default true. false: no
   * `streams_info`, as older answers (docs/api-notes.md §13.2), so clients are tested on both.
   */
  livpStreamsInfo?: boolean
  /** Injectable clock (ms since epoch) for tests of expiry and rate limits. */
  now?: () => number
  /**
   * `openFile/update` treats every `check_name_mode` as `ignore`: a rename onto a taken name succeeds and leaves two
   * siblings of that name. Whether the real `update` honours the mode is open (docs/api-notes.md §12.5).
   */
  updateIgnoresCheckNameMode?: boolean
}

/** What tests see of a tree entry. `content_hash` is upper-case SHA-1 as on the wire. */
export interface EmulatorEntry {
  file_id: string
  parent_file_id: string
  name: string
  path: string
  type: 'file' | 'folder'
  size: number
  content_hash?: string | undefined
  trashed: boolean
  /** The client time the upload's create carried, when it carried one. */
  local_modified_at?: string
}

export interface EmulatorStats {
  /** Keyed by route path (`/adrive/v1.0/openFile/list`, `/oauth/access_token`) or `data:upload` / `data:download`. */
  calls: Record<string, number>
  /** HTTP status → count; status 0 counts connections dropped by fault injection. */
  statuses: Record<number, number>
  rateLimited: number
  /** Successful token refreshes (OAuth and relay). */
  refreshes: number
  /** PUT requests received on upload URLs, whatever their outcome. */
  partPuts: number
  /** Body bytes received by part PUTs, stored or not (what a client sent over the wire). */
  partBytes: number
  /** Download GETs answered 200 or 206. */
  downloads: number
  /** Body bytes those GETs were answered with (a client that stops early may have read fewer). */
  downloadBytes: number
  /** Download GETs refused 403 ExceedMaxConcurrency (with `maxConcurrentDownloads`). */
  downloadsOverConcurrency: number
  /** The most download GETs one user had running at once (counted with or without a cap). */
  downloadsPeak: number
}

export type TokenApp = 'open' | 'tv'

export interface EmulatorUser {
  userId: string
  driveIds: { default: string; resource?: string | undefined; backup?: string | undefined }
  issueRefreshToken(app?: TokenApp): string
  issueAccessToken(app?: TokenApp): string
}

/** The driver addition (OpenList's addition JSON) for local OAuth against an emulator; see `driverConfig`. */
export interface EmulatorDriverConfig {
  [key: string]: unknown
  refresh_token: string
  use_online_api: boolean
  client_id: string
  client_secret: string
}

export interface EmulatorHandle extends EmulatorUser {
  apiUrl: string
  renewApiUrl: string
  clientId: string
  clientSecret: string
  /** The app id the `alicloud_tv` relay mode issues tokens for. */
  tvClientId: string
  /**
   * The addition that points a driver at this emulator in local-OAuth mode: this emulator's client id and secret,
   * `use_online_api: false`, and a fresh refresh token of the default user unless `overrides` has a `refresh_token`
   * key. `overrides` (e.g. drive_type, remove_way) are added last. The host needs `{ apiBaseUrl: emu.apiUrl }` too.
   */
  driverConfig(overrides?: Partial<EmulatorDriverConfig>): EmulatorDriverConfig
  setFaults(faults: FaultOptions): void
  setLimits(limits: RateLimits | false): void
  /** Changes `maxConcurrentDownloads` (false: no cap); downloads running keep their place. */
  setMaxConcurrentDownloads(max: number | false): void
  /** Every access token issued so far becomes expired (AccessTokenExpired). */
  expireAccessTokens(): void
  stats(): EmulatorStats
  resetStats(): void
  /** Adds another user (own drives and quota), e.g. to test the `sub` check on refresh. */
  createUser(): EmulatorUser
  /** Visible and trashed entries of a drive of the default user, depth first. */
  debugTree(drive?: DriveType): EmulatorEntry[]
  /** A visible (not trashed, completed) entry by absolute path, e.g. '/a/b.txt'. */
  findByPath(drive: DriveType, path: string): EmulatorEntry | undefined
  /** The bytes of a file (tests only: reads the whole file into memory). */
  readFile(drive: DriveType, path: string): Promise<Buffer>
  close(): Promise<void>
}
