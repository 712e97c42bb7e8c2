/**
 * The host-facing contract (contract §2): the objects a host sees and the interface every storage driver implements.
 * Wire types (snake_case, as AliyunDrive sends them) live in `src/api/wire.ts`; these are the mapped host objects.
 */
import type { DriverConfig } from '../config/schema.js'

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

/** What to do when the target name is taken (contract §2). */
export type ConflictMode = 'refuse' | 'rename' | 'overwrite'

export interface CallOptions {
  signal?: AbortSignal
}
export interface ConflictOptions extends CallOptions {
  conflict?: ConflictMode
}
export interface UploadOptions extends ConflictOptions {
  onProgress?: (progress: UploadProgress) => void
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

/** Everything the host can give the driver; all optional (contract §2). */
export interface DriverHost {
  /** Called with the whole config after every token rotation; awaited before the new token is used. */
  saveConfig?(config: DriverConfig): void | Promise<void>
  /** Default `https://openapi.alipan.com`; point at an emulator's `apiUrl` for tests. */
  apiBaseUrl?: string
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
export interface StorageDriver {
  readonly props: DriverProps
  readonly config: DriverConfig
  /** Resolves the drive and the user. NOT_FOUND/FORBIDDEN/UNAUTHORIZED/INVALID_CONFIG on failure. */
  init(opts?: CallOptions): Promise<void>
  /** Releases shared resources (rate-limit buckets, timers). Idempotent. */
  drop(): Promise<void>
  getRoot(): Obj
  /** NOT_FOUND if nothing is at `path`. */
  get(path: string, opts?: CallOptions): Promise<Obj>
  /** NOT_FOLDER if `dir` is a file. */
  list(dir: Obj, opts?: CallOptions): Promise<Obj[]>
  /** NOT_FILE if `file` is a folder. */
  link(file: Obj, opts?: CallOptions): Promise<Link>
  /** Returns the existing folder if one of that name exists (mkdir -p). */
  makeDir(parent: Obj, name: string, opts?: CallOptions): Promise<Obj>
  rename(obj: Obj, newName: string, opts?: ConflictOptions): Promise<Obj>
  move(obj: Obj, dstDir: Obj, opts?: ConflictOptions): Promise<Obj>
  copy(obj: Obj, dstDir: Obj, opts?: ConflictOptions): Promise<Obj>
  remove(obj: Obj, opts?: CallOptions): Promise<void>
  upload(dstDir: Obj, source: UploadSource, opts?: UploadOptions): Promise<Obj>
  other(method: string, obj: Obj, opts?: CallOptions): Promise<unknown>
  /** Objects under `dir` (at any depth) whose name contains `keywords`; optional (capabilities.search). */
  search?(dir: Obj, keywords: string, opts?: SearchOptions): Promise<Obj[]>
  details(opts?: CallOptions): Promise<StorageDetails>
}

export interface FormField {
  name: string
  label: string
  kind: 'string' | 'password' | 'number' | 'boolean' | 'text' | 'select'
  options?: string[]
  required: boolean
  default?: string | number | boolean
  help?: string
}

/** How hosts load drivers (OpenList's op.RegisterDriver equivalent). */
export interface DriverPlugin {
  name: string
  props: DriverProps
  formMeta: FormField[]
  configSchema: unknown
  create(config: unknown, host?: DriverHost): StorageDriver
}
