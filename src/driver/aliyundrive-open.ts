/** AliyundriveOpen: the driver facade (docs/contract.md §2). Thin over `api/` (one function per endpoint), `paths/`
 * (root, paths, wire→Obj) and `upload/`; the policy that is the driver's own lives here: conflicts, caches, checks. */
import { parseConfig } from '../config/parse-config.js'
import { alreadyExists, checkNameModeFor } from '../conflict/policy.js'
import type { DriverConfig } from '../config/schema.js'
import { DriverError, throwIfAborted } from '../errors/index.js'
import type {
  CallOptions,
  ConflictOptions,
  DriverProps,
  Link,
  LinkOptions,
  Logger,
  Obj,
  SearchOptions,
  StorageDetails,
  StorageDriver,
  UploadOptions,
  UploadSource,
} from '../host/types.js'
import { joinPath, normalizePath, parentPath, validateName } from '../paths/mount-path.js'
import type { ResolvedDrive } from '../paths/root-resolver.js'
import { toObj } from '../paths/to-obj.js'
import { waitForAsyncTask } from './async-task.js'
import { DRIVER_PROPS } from './driver-props.js'
import type { DriverHost } from './host-contract.js'
import { SessionStarter, type DriveSession, type DriverTuning } from './drive-session.js'
import { fetchDownloadLink } from './download-link.js'
import { createFolder, rootObj, spaceDetails, videoPreview } from './folder-ops.js'
import { LinkCache } from './link-cache.js'
import { LivpSizes } from './livp-size.js'
import { PathCache } from './path-cache.js'
import { getByDrivePath, walk } from './path-lookup.js'
import { renameInFolder } from './rename-steps.js'
import { redactingLogger } from './redacting-logger.js'
import { searchUnder } from './search.js'
import {
  checkTransferTarget,
  holderOf,
  refuseCopyOntoItself,
  settleTransfer,
  type TransferContext,
} from './transfer-steps.js'

export { DEFAULT_API_BASE_URL, type DriverTuning } from './drive-session.js'

export class AliyundriveOpen implements StorageDriver {
  readonly props: DriverProps = DRIVER_PROPS
  /** The parsed config as given; its token fields are stale after the first renewal (the token manager owns those). */
  private readonly settings: DriverConfig
  private readonly logger: Logger | undefined
  private readonly starter: SessionStarter
  private readonly links = new LinkCache()
  private readonly paths = new PathCache()
  private readonly livpSizes: LivpSizes
  /** Set once, by init; every operation goes through `ready()`, which returns it. */
  private session: DriveSession | undefined
  private initializing: Promise<DriveSession> | undefined
  private dropped = false

  constructor(
    addition: unknown,
    host: DriverHost = {},
    private readonly tuning: DriverTuning = {},
  ) {
    this.settings = parseConfig(addition)
    this.logger = redactingLogger(host.logger)
    this.livpSizes = new LivpSizes(this.settings.livp_download_format, (obj, o) => this.link(obj, o), this.logger)
    this.starter = new SessionStarter({
      config: this.settings,
      host,
      logger: this.logger,
      ...(tuning.retry ? { retry: tuning.retry } : {}),
    })
  }

  /** The current config, rotated tokens included (docs/contract.md §2): built from the token manager on each read. */
  get config(): DriverConfig {
    return this.starter.tokens.currentConfig()
  }

  /** Counters of API traffic (calls, retries, 429s, token retries) and token renewals, for diagnostics and tests. */
  get stats() {
    return { ...this.starter.api.stats, refreshes: this.starter.tokens.refreshCount }
  }

  /** The resolved drive (after init): drive id, user id and the drive types this authorization can see. */
  get driveInfo(): ResolvedDrive | undefined {
    return this.session?.drive
  }

  async init(opts: CallOptions = {}): Promise<void> {
    await this.open(opts)
  }

  private async ready(opts: CallOptions): Promise<DriveSession> {
    throwIfAborted(opts.signal)
    return this.session ?? this.open(opts)
  }

  private async open(opts: CallOptions): Promise<DriveSession> {
    if (this.dropped) throw new DriverError('NOT_SUPPORTED', 'this driver instance was dropped; create a new one')
    if (this.session) return this.session
    this.initializing ??= this.starter.open(opts).then(
      (session) => {
        this.initializing = undefined
        this.session = session
        const { drive } = session
        this.logger?.info(
          `mounted the ${drive.driveType} drive (${drive.driveId}) at folder ${this.settings.root_folder_id}`,
        )
        return session
      },
      (e: unknown) => {
        this.initializing = undefined
        throw e
      },
    )
    return this.initializing
  }

  async drop(): Promise<void> {
    if (this.dropped) return
    this.dropped = true
    this.starter.close()
    this.links.clear()
    this.paths.clear()
  }

  getRoot(): Obj {
    return rootObj(this.settings.root_folder_id)
  }

  async get(path: string, opts: CallOptions = {}): Promise<Obj> {
    const { files } = await this.ready(opts)
    const normalized = normalizePath(path)
    if (normalized === '/') return this.getRoot()
    const cached = this.paths.get(normalized)
    if (cached) return cached
    const ctx = {
      files,
      logger: this.logger,
      root: this.getRoot(),
      paths: this.paths,
      list: (dir: Obj, o: CallOptions) => this.list(dir, o),
      livpFormat: this.settings.livp_download_format,
      links: this.links,
      livpSizes: this.livpSizes,
    }
    const obj =
      this.settings.root_folder_id === 'root'
        ? await getByDrivePath(ctx, normalized, opts)
        : await walk(ctx, normalized, opts)
    this.paths.set(obj)
    return obj
  }

  async list(dir: Obj, opts: CallOptions = {}): Promise<Obj[]> {
    const { files } = await this.ready(opts)
    if (!dir.isFolder) throw new DriverError('NOT_FOLDER', `"${dir.path}" is a file, not a folder`)
    const wires = await files.listAll(dir.id, this.settings, opts)
    const objs = this.links
      .rememberListed(wires)
      .map((w) => toObj(w, dir.path, undefined, this.settings.livp_download_format))
    await this.livpSizes.complete(wires, objs, opts)
    for (const obj of objs) this.paths.set(obj)
    return objs
  }

  async link(file: Obj, opts: LinkOptions = {}): Promise<Link> {
    const { files } = await this.ready(opts)
    if (file.isFolder) throw new DriverError('NOT_FILE', `"${file.path}" is a folder; only files have download links`)
    const fetchLink = () => fetchDownloadLink(files, file, this.settings.livp_download_format, opts)
    return this.links.get(file.id, fetchLink, Boolean(opts.listedUrl))
  }

  async makeDir(parent: Obj, name: string, opts: CallOptions = {}): Promise<Obj> {
    const { files } = await this.ready(opts)
    validateName(name)
    const obj = await createFolder(files, parent, name, opts)
    this.paths.set(obj)
    return obj
  }

  async rename(obj: Obj, newName: string, opts: ConflictOptions = {}): Promise<Obj> {
    const session = await this.ready(opts)
    validateName(newName)
    this.refuseRoot(obj, 'rename')
    if (newName === obj.name) return obj
    const dir = await this.get(parentPath(obj.path), opts)
    return renameInFolder(this.transferContext(session), dir, obj, newName, opts.conflict ?? 'refuse', opts)
  }

  async move(obj: Obj, dstDir: Obj, opts: ConflictOptions = {}): Promise<Obj> {
    const ctx = this.transferContext(await this.checkTransfer(obj, dstDir, 'move', opts))
    const mode = opts.conflict ?? 'refuse'
    const previous = mode === 'overwrite' ? await holderOf(ctx, dstDir, obj.name, obj, opts) : undefined
    const res = await ctx.files.move(obj.id, dstDir.id, checkNameModeFor(mode), opts)
    if (res.exist && mode === 'refuse') throw alreadyExists(joinPath(dstDir.path, obj.name))
    this.forget(obj)
    return settleTransfer(ctx, res, dstDir, previous, `moving "${obj.path}"`, opts)
  }

  async copy(obj: Obj, dstDir: Obj, opts: ConflictOptions = {}): Promise<Obj> {
    const ctx = this.transferContext(await this.checkTransfer(obj, dstDir, 'copy', opts))
    const mode = opts.conflict ?? 'refuse'
    refuseCopyOntoItself(obj, dstDir, mode)
    // copy has no "refuse" on the wire (only auto_rename true/false, docs/api-notes.md §3.15): look first.
    const previous = mode === 'rename' ? undefined : await holderOf(ctx, dstDir, obj.name, obj, opts)
    if (previous && mode === 'refuse') throw alreadyExists(previous.path)
    const res = await ctx.files.copy(obj.id, dstDir.id, mode === 'rename', opts)
    return settleTransfer(ctx, res, dstDir, previous, `copying "${obj.path}"`, opts)
  }

  async remove(obj: Obj, opts: CallOptions = {}): Promise<void> {
    const session = await this.ready(opts)
    this.refuseRoot(obj, 'remove')
    await this.removeById(session, obj.id, `removing "${obj.path}"`, opts)
    this.forget(obj)
  }

  async upload(dstDir: Obj, source: UploadSource, opts: UploadOptions = {}): Promise<Obj> {
    const session = await this.ready(opts)
    if (!dstDir.isFolder) throw new DriverError('NOT_FOLDER', `"${dstDir.path}" is a file; cannot upload into it`)
    validateName(source.name)
    const removeById = (fileId: string, o: CallOptions = {}) =>
      this.removeById(session, fileId, 'removing the replaced file', o)
    const { apiUploadPort, uploadToFolder } = await import('../upload/index.js') // on first use: ls, get start faster
    const port = apiUploadPort({ api: session.api, files: session.files, listOrder: this.settings, removeById })
    const tuning = this.tuning.partSizeOverride ? { partSizeOverride: this.tuning.partSizeOverride } : {}
    const deps = { port, settings: this.settings, ...(this.logger ? { logger: this.logger } : {}), ...tuning }
    const wire = await uploadToFolder(deps, dstDir.id, source, opts)
    const obj = toObj(wire, dstDir.path, undefined, this.settings.livp_download_format)
    this.paths.invalidate(obj.path)
    this.paths.set(obj)
    return obj
  }

  async other(method: string, obj: Obj, opts: CallOptions = {}): Promise<unknown> {
    return videoPreview((await this.ready(opts)).files, method, obj, opts)
  }

  async search(dir: Obj, keywords: string, opts: SearchOptions = {}): Promise<Obj[]> {
    const { files } = await this.ready(opts)
    if (!dir.isFolder) throw new DriverError('NOT_FOLDER', `"${dir.path}" is a file; search needs a folder`)
    return searchUnder(files, this.getRoot(), dir, keywords, opts, this.settings.livp_download_format, this.livpSizes)
  }

  async details(opts: CallOptions = {}): Promise<StorageDetails> {
    return spaceDetails((await this.ready(opts)).files, opts)
  }

  private transferContext(session: DriveSession): TransferContext {
    return {
      files: session.files,
      logger: this.logger,
      livpFormat: this.settings.livp_download_format,
      list: (dir, opts) => this.list(dir, opts),
      removeById: (fileId, what, opts) => this.removeById(session, fileId, what, opts),
      forget: (obj) => this.forget(obj),
      remember: (obj) => this.paths.set(obj),
    }
  }

  private async removeById({ files }: DriveSession, fileId: string, what: string, opts: CallOptions): Promise<void> {
    const res =
      this.settings.remove_way === 'delete' ? await files.delete(fileId, opts) : await files.trash(fileId, opts)
    await waitForAsyncTask(files, res.async_task_id, what, opts.signal)
    this.links.invalidate(fileId)
  }

  private forget(obj: Obj): void {
    this.paths.invalidate(obj.path)
    this.links.invalidate(obj.id)
  }

  /** What move and copy both require: an initialised driver, not the root, a folder target outside the object. */
  private async checkTransfer(
    obj: Obj,
    dstDir: Obj,
    action: 'move' | 'copy',
    opts: CallOptions,
  ): Promise<DriveSession> {
    const session = await this.ready(opts)
    this.refuseRoot(obj, action)
    checkTransferTarget(obj, dstDir, action)
    return session
  }

  private refuseRoot(obj: Obj, action: string): void {
    if (obj.path === '/' || obj.id === this.settings.root_folder_id)
      throw new DriverError('NOT_SUPPORTED', `refusing to ${action} the mount root`)
  }
}
