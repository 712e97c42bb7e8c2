/**
 * AliyundriveOpen: the driver facade (contract §2). Thin over `api/` (one function per endpoint), `paths/` (root,
 * paths, wire→Obj) and `upload/`; the policy that is the driver's own lives here: conflicts, caches, safety checks.
 */
import axios from 'axios'
import { FilesApi, type CheckNameMode } from '../api/files.js'
import { removeIfStillHolder } from '../api/replace-guard.js'
import type { WireFile } from '../api/wire.js'
import { decodeJwtClaims } from '../auth/jwt.js'
import { TokenManager } from '../auth/token-manager.js'
import { parseConfig } from '../config/parse-config.js'
import type { DriverConfig } from '../config/schema.js'
import { DriverError, isDriverError, throwIfAborted } from '../errors/index.js'
import type {
  CallOptions,
  ConflictMode,
  ConflictOptions,
  DriverHost,
  DriverProps,
  Link,
  Logger,
  Obj,
  SearchOptions,
  StorageDetails,
  StorageDriver,
  UploadOptions,
  UploadSource,
} from '../host/types.js'
import { ApiClient, type RetryPolicy } from '../http/api-client.js'
import { takeUserLimiter, type UserLimiter } from '../http/rate-limiter.js'
import { joinPath, normalizePath, parentPath, splitPath, validateName } from '../paths/mount-path.js'
import { resolveDrive, type ResolvedDrive } from '../paths/root-resolver.js'
import { toObj } from '../paths/to-obj.js'
import { uploadToFolder } from '../upload/index.js'
import { waitForAsyncTask } from './async-task.js'
import { DRIVER_PROPS } from './driver-props.js'
import { LinkCache, linkExpiry } from './link-cache.js'
import { PathCache } from './path-cache.js'
import { checkRenamed } from './rename-check.js'
import { redactingLogger } from './redacting-logger.js'
import { searchUnder } from './search.js'

export const DEFAULT_API_BASE_URL = 'https://openapi.alipan.com'

/** Extra knobs for tests and benchmarks; not part of the host contract. */
export interface DriverTuning {
  retry?: Partial<RetryPolicy>
  /** Smaller upload parts, so multi-part uploads can be exercised with small files. */
  partSizeOverride?: number
}

export class AliyundriveOpen implements StorageDriver {
  readonly props: DriverProps = DRIVER_PROPS
  readonly config: DriverConfig
  private readonly host: DriverHost
  private readonly logger: Logger | undefined
  private readonly tokens: TokenManager
  private readonly api: ApiClient
  private readonly files: FilesApi
  private readonly links = new LinkCache()
  private readonly paths = new PathCache()
  private limiter: UserLimiter
  private limiterKey: string
  private drive: ResolvedDrive | undefined
  private initializing: Promise<void> | undefined
  private dropped = false

  constructor(addition: unknown, host: DriverHost = {}, private readonly tuning: DriverTuning = {}) {
    this.config = parseConfig(addition)
    this.host = host
    this.logger = redactingLogger(host.logger)
    const baseUrl = (host.apiBaseUrl ?? DEFAULT_API_BASE_URL).replace(/\/+$/, '')
    // The refresh token's JWT `sub` is the user id (spec §2.2), so even init's calls can share the user's limiter
    // with the other instances of that user; OpenList uses a process-wide set '' until getDriveInfo answers, and two
    // uncoordinated streams then reach the server's per-user bucket (seen as 429s in the conformance run).
    this.limiterKey = decodeJwtClaims(this.config.refresh_token)?.sub ?? decodeJwtClaims(this.config.AccessToken)?.sub ?? ''
    this.limiter = takeUserLimiter(this.limiterKey, host.limits)
    const acquire = (cls: 'list' | 'link' | 'other', signal?: AbortSignal) => this.limiter.acquire(cls, signal)
    this.tokens = new TokenManager({
      config: this.config,
      http: axios.create({ timeout: 30_000, validateStatus: () => true, responseType: 'text', transformResponse: [(d: unknown) => d], maxRedirects: 3 }),
      apiBaseUrl: baseUrl,
      ...(host.saveConfig ? { saveConfig: (c: DriverConfig) => host.saveConfig!(c) } : {}),
      ...(host.loadConfig ? { loadConfig: () => host.loadConfig!().then((c) => (c === undefined ? undefined : parseConfig(c))) } : {}),
      ...(host.withTokenLock ? { withTokenLock: <T>(fn: () => Promise<T>) => host.withTokenLock!(fn) } : {}),
      acquire,
      ...(this.logger ? { logger: this.logger } : {}),
      ...(host.relayUserAgent ? { relayUserAgent: host.relayUserAgent } : {}),
    })
    this.api = new ApiClient({ baseUrl, tokens: this.tokens, acquire, ...(this.logger ? { logger: this.logger } : {}), ...(tuning.retry ? { retry: tuning.retry } : {}) })
    this.files = new FilesApi(this.api, '', this.logger)
  }

  /** Counters of API traffic (calls, retries, 429s, token retries) and token renewals, for diagnostics and tests. */
  get stats() {
    return { ...this.api.stats, refreshes: this.tokens.refreshCount }
  }

  /** The resolved drive (after init): drive id, user id and the drive types this authorization can see. */
  get driveInfo(): ResolvedDrive | undefined {
    return this.drive
  }

  async init(opts: CallOptions = {}): Promise<void> {
    if (this.dropped) throw new DriverError('NOT_SUPPORTED', 'this driver instance was dropped; create a new one')
    if (this.drive) return
    this.initializing ??= this.resolve(opts).finally(() => {
      this.initializing = undefined
    })
    return this.initializing
  }

  private async resolve(opts: CallOptions): Promise<void> {
    const info = await this.files.driveInfo(opts)
    const drive = resolveDrive(info, this.config.drive_type)
    this.files.driveId = drive.driveId
    if (drive.userId !== this.limiterKey) {
      // From now on this instance shares the limiter of its AliyunDrive user with every other instance of that user.
      const shared = takeUserLimiter(drive.userId, this.host.limits)
      this.limiter.release()
      this.limiter = shared
      this.limiterKey = drive.userId
    }
    this.drive = drive
    this.logger?.info(`mounted the ${drive.driveType} drive (${drive.driveId}) at folder ${this.config.root_folder_id}`)
  }

  private async ready(opts: CallOptions): Promise<void> {
    throwIfAborted(opts.signal)
    if (!this.drive) await this.init(opts)
  }

  async drop(): Promise<void> {
    if (this.dropped) return
    this.dropped = true
    this.limiter.release()
    this.tokens.release()
    this.links.clear()
    this.paths.clear()
  }

  getRoot(): Obj {
    const epoch = new Date(0)
    return { id: this.config.root_folder_id, path: '/', name: 'root', size: 0, isFolder: true, modified: epoch, created: epoch, hashes: {} }
  }

  async get(path: string, opts: CallOptions = {}): Promise<Obj> {
    await this.ready(opts)
    const normalized = normalizePath(path)
    if (normalized === '/') return this.getRoot()
    const cached = this.paths.get(normalized)
    if (cached) return cached
    const obj = this.config.root_folder_id === 'root' ? await this.getByDrivePath(normalized, opts) : await this.walk(normalized, opts)
    this.paths.set(obj)
    return obj
  }

  /**
   * With the drive root mounted, mount paths are drive paths: one `get_by_path` call (spec §3.5). That endpoint has
   * been removed and re-added and has answered 400 for odd paths, so a 400 that is not a NotFound falls back to the
   * walk through listings (logged), rather than failing a lookup the listings can answer.
   */
  private async getByDrivePath(path: string, opts: CallOptions): Promise<Obj> {
    try {
      const wire = await this.files.getByPath(path, opts)
      return toObj(wire, parentPath(path))
    } catch (e) {
      if (isDriverError(e) && e.code === 'NOT_FOUND') throw new DriverError('NOT_FOUND', `nothing at "${path}"`, { ...(e.apiCode ? { apiCode: e.apiCode } : {}) })
      if (isDriverError(e) && e.status === 400) {
        this.logger?.warn(`openFile/get_by_path refused "${path}" (${e.apiCode ?? 'HTTP 400'}); resolving through listings instead`)
        return this.walk(path, opts)
      }
      throw e
    }
  }

  /** With a sub-folder mounted, resolve segment by segment through listings (cached). */
  private async walk(path: string, opts: CallOptions): Promise<Obj> {
    let current = this.getRoot()
    for (const name of splitPath(path)) {
      const next = joinPath(current.path, name)
      const cached = this.paths.get(next)
      if (cached) {
        current = cached
        continue
      }
      if (!current.isFolder) throw new DriverError('NOT_FOUND', `nothing at "${path}": "${current.path}" is a file`)
      const children = await this.list(current, opts)
      const child = children.find((c) => c.name === name)
      if (!child) throw new DriverError('NOT_FOUND', `nothing at "${path}"`)
      current = child
    }
    return current
  }

  async list(dir: Obj, opts: CallOptions = {}): Promise<Obj[]> {
    await this.ready(opts)
    if (!dir.isFolder) throw new DriverError('NOT_FOLDER', `"${dir.path}" is a file, not a folder`)
    const wires = await this.files.listAll(dir.id, this.config, opts)
    const objs = wires.map((w) => toObj(w, dir.path))
    for (const obj of objs) this.paths.set(obj)
    return objs
  }

  async link(file: Obj, opts: CallOptions = {}): Promise<Link> {
    await this.ready(opts)
    if (file.isFolder) throw new DriverError('NOT_FILE', `"${file.path}" is a folder; only files have download links`)
    return this.links.get(file.id, async () => {
      const res = await this.files.downloadUrl(file.id, opts)
      let url = res.url ?? ''
      if (!url && file.name.toLowerCase().endsWith('.livp')) {
        // Live Photos have no single URL; their streams are in `streamsUrl` (spec §8).
        url = res.streamsUrl?.[this.config.livp_download_format] ?? ''
        if (!url) throw new DriverError('UPSTREAM', `"${file.path}" is a Live Photo without a ${this.config.livp_download_format} stream (streams: ${Object.keys(res.streamsUrl ?? {}).join(', ') || 'none'})`)
      }
      if (!url) throw new DriverError('UPSTREAM', `openFile/getDownloadUrl returned no URL for "${file.path}"`)
      const expiresAt = linkExpiry(url, res.expiration)
      return { url, ...(expiresAt ? { expiresAt } : {}) }
    })
  }

  async makeDir(parent: Obj, name: string, opts: CallOptions = {}): Promise<Obj> {
    await this.ready(opts)
    validateName(name)
    if (!parent.isFolder) throw new DriverError('NOT_FOLDER', `"${parent.path}" is a file; cannot create "${name}" inside it`)
    const res = await this.files.createFolder(parent.id, name, opts)
    let obj: Obj
    if (res.exist) {
      // `refuse` hands back whatever holds the name; that may be a file (spec §3.7).
      obj = toObj(await this.files.get(res.file_id, opts), parent.path)
      if (!obj.isFolder) throw new DriverError('ALREADY_EXISTS', `"${obj.path}" exists and is a file, not a folder`)
    } else {
      // create answers null timestamps (spec §3.7): the folder was made now.
      obj = toObj({ ...res, type: 'folder', name: res.file_name || name }, parent.path)
    }
    this.paths.set(obj)
    return obj
  }

  async rename(obj: Obj, newName: string, opts: ConflictOptions = {}): Promise<Obj> {
    await this.ready(opts)
    validateName(newName)
    this.refuseRoot(obj, 'rename')
    if (newName === obj.name) return obj
    const dir = await this.get(parentPath(obj.path), opts)
    const mode = opts.conflict ?? 'refuse'
    const previous = mode === 'overwrite' ? await this.holderOf(dir, newName, obj, opts) : undefined
    const wire = await this.files.rename(obj.id, newName, checkNameMode(mode), opts)
    this.forget(obj)
    checkRenamed(wire, obj, newName, mode)
    const renamed = toObj(wire, dir.path)
    await this.removeReplaced(previous, renamed, dir.id, opts)
    this.paths.set(renamed)
    return renamed
  }

  async move(obj: Obj, dstDir: Obj, opts: ConflictOptions = {}): Promise<Obj> {
    await this.checkTransfer(obj, dstDir, 'move', opts)
    const mode = opts.conflict ?? 'refuse'
    const previous = mode === 'overwrite' ? await this.holderOf(dstDir, obj.name, obj, opts) : undefined
    const res = await this.files.move(obj.id, dstDir.id, checkNameMode(mode), opts)
    if (res.exist && mode === 'refuse') throw alreadyExists(joinPath(dstDir.path, obj.name))
    this.forget(obj)
    return this.settleTransfer(res, dstDir, previous, `moving "${obj.path}"`, opts)
  }

  async copy(obj: Obj, dstDir: Obj, opts: ConflictOptions = {}): Promise<Obj> {
    await this.checkTransfer(obj, dstDir, 'copy', opts)
    const mode = opts.conflict ?? 'refuse'
    if (parentPath(obj.path) === dstDir.path && mode !== 'rename') {
      // Into its own folder the source itself holds the name: refuse, and never "overwrite" an object with itself.
      if (mode === 'refuse') throw alreadyExists(obj.path)
      throw new DriverError('NOT_SUPPORTED', `cannot copy "${obj.path}" over itself (use conflict "rename" for a second copy)`)
    }
    // copy has no "refuse" on the wire (only auto_rename true/false, spec §3.15): look first.
    const previous = mode === 'rename' ? undefined : await this.holderOf(dstDir, obj.name, obj, opts)
    if (previous && mode === 'refuse') throw alreadyExists(previous.path)
    const res = await this.files.copy(obj.id, dstDir.id, mode === 'rename', opts)
    return this.settleTransfer(res, dstDir, previous, `copying "${obj.path}"`, opts)
  }

  async remove(obj: Obj, opts: CallOptions = {}): Promise<void> {
    await this.ready(opts)
    this.refuseRoot(obj, 'remove')
    await this.removeById(obj.id, `removing "${obj.path}"`, opts)
    this.forget(obj)
  }

  async upload(dstDir: Obj, source: UploadSource, opts: UploadOptions = {}): Promise<Obj> {
    await this.ready(opts)
    if (!dstDir.isFolder) throw new DriverError('NOT_FOLDER', `"${dstDir.path}" is a file; cannot upload into it`)
    validateName(source.name)
    const wire = await uploadToFolder(
      {
        api: this.api,
        driveId: this.files.driveId,
        config: this.config,
        ...(this.logger ? { logger: this.logger } : {}),
        listChildren: (parentId, signal) => this.files.listAll(parentId, this.config, signal ? { signal } : {}),
        removeById: (fileId, signal) => this.removeById(fileId, 'removing the replaced file', signal ? { signal } : {}),
        getFile: (fileId, signal) => this.files.get(fileId, signal ? { signal } : {}),
        ...(this.tuning.partSizeOverride ? { partSizeOverride: this.tuning.partSizeOverride } : {}),
      },
      dstDir.id,
      source,
      opts,
    )
    const obj = toObj(wire, dstDir.path)
    this.paths.invalidate(obj.path)
    this.paths.set(obj)
    return obj
  }

  async other(method: string, obj: Obj, opts: CallOptions = {}): Promise<unknown> {
    await this.ready(opts)
    if (method !== 'video_preview') throw new DriverError('NOT_SUPPORTED', `other method "${method}" is not supported (supported: video_preview)`)
    if (obj.isFolder) throw new DriverError('NOT_FILE', `"${obj.path}" is a folder; video preview needs a video file`)
    return this.files.videoPreview(obj.id, opts)
  }

  async search(dir: Obj, keywords: string, opts: SearchOptions = {}): Promise<Obj[]> {
    await this.ready(opts)
    if (!dir.isFolder) throw new DriverError('NOT_FOLDER', `"${dir.path}" is a file; search needs a folder`)
    return searchUnder(this.files, this.getRoot(), dir, keywords, opts)
  }

  async details(opts: CallOptions = {}): Promise<StorageDetails> {
    await this.ready(opts)
    const res = await this.files.spaceInfo(opts)
    return { totalSpace: res.personal_space_info.total_size, usedSpace: res.personal_space_info.used_size }
  }

  /** The end of a move or copy: its background task done, the result as it now is, the replaced holder removed. */
  private async settleTransfer(
    res: { file_id: string; async_task_id?: string | null },
    dstDir: Obj,
    previous: Obj | undefined,
    what: string,
    opts: CallOptions,
  ): Promise<Obj> {
    await waitForAsyncTask(this.files, res.async_task_id, what, opts.signal)
    const result = toObj(await this.files.get(res.file_id, opts), dstDir.path)
    await this.removeReplaced(previous, result, dstDir.id, opts)
    this.paths.set(result)
    return result
  }

  /** The object other than `self` that holds `name` in `dir`, refusing to replace a folder by a file or vice versa. */
  private async holderOf(dir: Obj, name: string, self: Obj, opts: CallOptions): Promise<Obj | undefined> {
    const holder = (await this.list(dir, opts)).find((c) => c.name === name && c.id !== self.id)
    if (holder && holder.isFolder !== self.isFolder) {
      throw new DriverError('ALREADY_EXISTS', `"${holder.path}" is a ${holder.isFolder ? 'folder' : 'file'}; it cannot be overwritten by a ${self.isFolder ? 'folder' : 'file'}`)
    }
    return holder
  }

  /** Overwrite's second half: the operation succeeded, now remove the previous holder — by its id, if still it. */
  private async removeReplaced(previous: Obj | undefined, result: Obj, dirId: string, opts: CallOptions): Promise<void> {
    if (!previous || previous.id === result.id) return
    this.forget(previous)
    await removeIfStillHolder(
      { captured: previous, parentId: dirId, name: previous.name },
      () => this.files.get(previous.id, opts),
      () => this.removeById(previous.id, `removing the overwritten "${previous.path}"`, opts),
      this.logger,
    )
  }

  private async removeById(fileId: string, what: string, opts: CallOptions): Promise<void> {
    const res = this.config.remove_way === 'delete' ? await this.files.delete(fileId, opts) : await this.files.trash(fileId, opts)
    await waitForAsyncTask(this.files, res.async_task_id, what, opts.signal)
    this.links.invalidate(fileId)
  }

  private forget(obj: Obj): void {
    this.paths.invalidate(obj.path)
    this.links.invalidate(obj.id)
  }

  /** What move and copy both require: an initialised driver, not the root, a folder target outside the object. */
  private async checkTransfer(obj: Obj, dstDir: Obj, action: 'move' | 'copy', opts: CallOptions): Promise<void> {
    await this.ready(opts)
    this.refuseRoot(obj, action)
    if (!dstDir.isFolder) throw new DriverError('NOT_FOLDER', `"${dstDir.path}" is a file; cannot ${action} into it`)
    if (dstDir.id === obj.id || dstDir.path === obj.path || dstDir.path.startsWith(`${obj.path}/`)) {
      throw new DriverError('NOT_SUPPORTED', `cannot ${action} "${obj.path}" into itself ("${dstDir.path}")`)
    }
  }

  private refuseRoot(obj: Obj, action: string): void {
    if (obj.path === '/' || obj.id === this.config.root_folder_id) throw new DriverError('NOT_SUPPORTED', `refusing to ${action} the mount root`)
  }
}

function checkNameMode(mode: ConflictMode): CheckNameMode {
  return mode === 'rename' ? 'auto_rename' : mode === 'overwrite' ? 'ignore' : 'refuse'
}

function alreadyExists(path: string): DriverError {
  return new DriverError('ALREADY_EXISTS', `"${path}" already exists (use conflict "overwrite" or "rename")`, { apiCode: 'AlreadyExist.File' })
}

export type { WireFile }
