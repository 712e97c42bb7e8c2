/**
 * The host-facing contract (docs/contract.md §2): the objects a host sees and the interface every storage driver implements.
 * Wire types (snake_case, as AliyunDrive sends them) live in `src/api/wire.ts`; these are the mapped host objects.
 * The contract knows no driver's config: `DriverHost`, `StorageDriver` and `DriverPlugin` take the config type as a
 * parameter (default `unknown`, "any driver", as the server, the CLI and the conformance suite see a driver). This
 * package's driver instantiates them with its `DriverConfig` (src/driver/host-contract.ts), and those instances are
 * what the package exports under these names.
 */

/** A file or folder as a host sees it. `path` is mount-relative and absolute ('/a/b.txt'). */
export interface Obj {
  id: string
  path: string
  name: string
  size: number
  isFolder: boolean
  modified: Date
  created: Date
  /** `sha1` is 40 hex digits, lower case (AliyunDrive sends upper case; we normalise). */
  hashes: { sha1?: string }
  thumbnail?: string
  /** The media type of the bytes a link delivers, when the name does not tell it (a Live Photo delivers one stream). */
  mimeType?: string
}

/** A download link. `headers` are the headers the downloader must send (none for AliyunDrive's signed URLs). */
export interface Link {
  url: string
  expiresAt?: Date
  headers?: Record<string, string>
}

/** Bytes to upload. `read` yields bytes [start, end) and may be called more than once for the same range. */
export interface UploadSource {
  name: string
  size: number
  modified?: Date
  created?: Date
  /** A known SHA-1 of the content (any case): lets rapid upload skip hashing. */
  sha1?: string
  read(start: number, end: number, signal?: AbortSignal): AsyncIterable<Uint8Array>
  /** Releases resources (temp files). Called by the driver when the upload settles; idempotent. */
  dispose?(): Promise<void>
}

export type UploadProgress = { phase: 'hashing' | 'uploading'; loaded: number; total: number }

/** What to do when the target name is taken (docs/contract.md §2). */
export type ConflictMode = 'refuse' | 'rename' | 'overwrite'

export interface CallOptions {
  signal?: AbortSignal
}
export interface LinkOptions extends CallOptions {
  /**
   * The caller checks the bytes it downloads against the file's SHA-1 and calls again without this option when they
   * differ: the driver may then answer with the URL a listing carried for a small file (no link call is spent), which
   * may be stale or, for images, a preview (docs/api-notes.md §3.0). Never for a URL handed to someone else.
   */
  listedUrl?: boolean
}
export interface ConflictOptions extends CallOptions {
  conflict?: ConflictMode
}
export interface UploadOptions extends ConflictOptions {
  onProgress?: (progress: UploadProgress) => void
  /**
   * Where unfinished uploads are remembered, so an upload of the same source to the same target in a later run
   * continues where the previous one stopped. Only sources that can say what they are (`fromFile`) are resumable.
   */
  sessions?: UploadSessionStore
  /** Called once when an upload continues a stored session, before any byte is sent. */
  onResume?: (resumed: { bytesDone: number; total: number; partsDone: number; partCount: number }) => void
}

/** What identifies a local source: a changed file never continues an old upload. SHA-1s are lower-case hex. */
export interface UploadSourceIdentity {
  path: string
  size: number
  mtimeMs: number
  /** SHA-1 of the first MiB (or the whole file if smaller). */
  headSha1: string
  /** SHA-1 of the last MiB (or the whole file if smaller). */
  tailSha1: string
}

/** One unfinished upload, as kept by an `UploadSessionStore`. A small JSON-safe object. */
export interface UploadSessionRecord {
  version: 1
  /** The store's key: target (drive, folder, name) and source path. */
  key: string
  driveId: string
  parentId: string
  name: string
  fileId: string
  uploadId: string
  partSize: number
  partCount: number
  /** Part numbers known to be stored; the service's own list is asked before they are trusted. */
  partsDone: number[]
  source: UploadSourceIdentity
  /** ms since the epoch: when the reservation was made (expiry counts from here). */
  createdAt: number
  updatedAt: number
}

/** Host-provided persistence for resumable uploads (the CLI keeps one JSON file per upload in a state folder). */
export interface UploadSessionStore {
  load(key: string): Promise<UploadSessionRecord | undefined> | UploadSessionRecord | undefined
  save(record: UploadSessionRecord): Promise<void> | void
  delete(key: string): Promise<void> | void
  /** Records older than this (ms) are not resumed; their reservation is removed. Default 7 days. */
  maxAgeMs?: number
}

export interface SearchOptions extends CallOptions {
  /** Only folders or only files; default both. */
  scope?: 'all' | 'folders' | 'files'
  /** At most this many results (default 1000). */
  limit?: number
}

export interface Logger {
  debug(message: string, ...meta: unknown[]): void
  info(message: string, ...meta: unknown[]): void
  warn(message: string, ...meta: unknown[]): void
  error(message: string, ...meta: unknown[]): void
}

export interface RateLimits {
  list: number
  link: number
  other: number
}

/**
 * Everything the host can give the driver; all optional (docs/contract.md §2). `Config` is the driver's config type.
 * The config methods are declared as methods on purpose: a host written for one config type stays assignable where
 * another instance is expected (method parameters are compared both ways), as hosts written before the contract was
 * generic are.
 */
export interface DriverHost<Config = unknown> {
  /**
   * Called with the whole config after every token rotation; awaited before the new token is used. A call that has
   * not returned after 30 s fails the request that needed it (the tokens stay in memory; saving is retried).
   */
  saveConfig?(config: Config): void | Promise<void>
  /**
   * The config as persisted now (what the last `saveConfig`, from any process, stored), or undefined if unknown.
   * Hosts whose config can be used by other processes at once (a config file shared by a server and CLI commands,
   * a database row shared by instances) provide it with `withTokenLock`: before renewing, the driver reads it and
   * adopts a refresh token another process renewed instead of spending its own, already consumed, one.
   */
  loadConfig?(): Promise<Config | Record<string, unknown> | undefined>
  /**
   * Runs `fn` holding the host's lock over the persisted tokens, shared with every process using the same config
   * (a lock file beside a config file; `SELECT … FOR UPDATE` on a database row). The driver reads the config,
   * exchanges the refresh token and calls `saveConfig` inside `fn`; calls of `saveConfig` there must not wait for
   * the lock again (it must be re-entrant, or saving must not take it). Not granted within 120 s: the call fails.
   */
  withTokenLock?<T>(fn: () => Promise<T>): Promise<T>
  /** Default `https://openapi.alipan.com`; point at an emulator's `apiUrl` for tests. */
  apiBaseUrl?: string
  /** User-Agent for the online renew relay; default a browser-like one naming this project (the relay's CDN slows others). */
  relayUserAgent?: string
  logger?: Logger
  /** Requests per second per class; defaults just under 4 / 1 / 15. */
  limits?: Partial<RateLimits>
}

export interface DriverCapabilities {
  list: boolean
  get: boolean
  link: boolean
  upload: boolean
  makeDir: boolean
  rename: boolean
  move: boolean
  copy: boolean
  remove: boolean
  details: boolean
  other: readonly string[]
  /** The driver implements `search`. */
  search?: boolean
}

export interface DriverProps {
  name: string
  defaultRoot: string
  /** Like OpenList's `NoOverwriteUpload`: the driver handles overwrite itself (safely), the host need not. */
  noOverwriteUpload: boolean
  capabilities: DriverCapabilities
}

export interface StorageDetails {
  totalSpace: number
  usedSpace: number
}

/** The generic storage interface behind which `AliyundriveOpen` sits. Every method's errors are `DriverError`s. */
export interface StorageDriver<Config = unknown> {
  readonly props: DriverProps
  readonly config: Config
  /** Resolves the drive and the user. NOT_FOUND/FORBIDDEN/UNAUTHORIZED/INVALID_CONFIG on failure. */
  init(opts?: CallOptions): Promise<void>
  /** Releases shared resources (rate-limit buckets, timers). Idempotent. */
  drop(): Promise<void>
  getRoot(): Obj
  /** NOT_FOUND if nothing is at `path`. */
  get(path: string, opts?: CallOptions): Promise<Obj>
  /** NOT_FOLDER if `dir` is a file. */
  list(dir: Obj, opts?: CallOptions): Promise<Obj[]>
  /** NOT_FILE if `file` is a folder. The URL keeps at least three quarters of the lifetime AliyunDrive gave it. */
  link(file: Obj, opts?: LinkOptions): Promise<Link>
  /** Returns the existing folder if one of that name exists (mkdir -p). */
  makeDir(parent: Obj, name: string, opts?: CallOptions): Promise<Obj>
  /** Resolves only when the answer shows this object renamed (to `newName`, or a free name under conflict "rename"). */
  rename(obj: Obj, newName: string, opts?: ConflictOptions): Promise<Obj>
  move(obj: Obj, dstDir: Obj, opts?: ConflictOptions): Promise<Obj>
  copy(obj: Obj, dstDir: Obj, opts?: ConflictOptions): Promise<Obj>
  /** Per remove_way. A repeat after a lost answer that meets the job done (in the recycle bin, gone) is success. */
  remove(obj: Obj, opts?: CallOptions): Promise<void>
  upload(dstDir: Obj, source: UploadSource, opts?: UploadOptions): Promise<Obj>
  other(method: string, obj: Obj, opts?: CallOptions): Promise<unknown>
  /** Objects under `dir` (at any depth) whose name contains `keywords`; optional (capabilities.search). */
  search?(dir: Obj, keywords: string, opts?: SearchOptions): Promise<Obj[]>
  details(opts?: CallOptions): Promise<StorageDetails>
}

/** One field of the settings form a host renders (OpenList's driver "additional" items). */
export interface FormField {
  name: string
  label: string
  kind: 'string' | 'password' | 'number' | 'boolean' | 'text' | 'select'
  options?: string[]
  required: boolean
  default?: string | number | boolean
  help?: string
}

/** How hosts load drivers (OpenList's op.RegisterDriver equivalent). `create` parses its raw config itself. */
export interface DriverPlugin<Config = unknown> {
  name: string
  props: DriverProps
  formMeta: FormField[]
  configSchema: unknown
  create(config: unknown, host?: DriverHost<Config>): StorageDriver<Config>
}
