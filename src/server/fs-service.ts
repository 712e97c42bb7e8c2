/**
 * Path-based file operations over a StorageDriver, shared by the OpenList API, WebDAV and /d links. It owns the
 * listing cache and its invalidation: every write through here drops exactly the listings it changed.
 */
import { DriverError } from '../errors/index.js'
import type {
  ConflictMode,
  Link,
  LinkOptions,
  Obj,
  SearchOptions,
  StorageDetails,
  StorageDriver,
  UploadOptions,
  UploadSource,
} from '../host/types.js'
import type { RowProxy } from '../persist/row-proxy.js'
import { ListCache } from './list-cache.js'
import { Semaphore } from './semaphore.js'
import { joinTo, nameOf, parentOf } from './safe-path.js'
import { QuotaCache } from './space-cache.js'

export interface FsServiceOptions {
  /** How long a listing is reused; writes through this server invalidate at once. Default 10 s. */
  listTtlMs?: number
  /**
   * How long `details()` (getSpaceInfo) is reused, as OpenList keeps a storage's details for its cache_expiration;
   * writes through this server drop it. Absent: every call asks the driver.
   */
  detailsTtlMs?: number
}

export class DriveFsService {
  private readonly lists: ListCache
  private readonly space: QuotaCache | undefined
  /**
   * One search at a time per storage: each one pages through the drive's matches, and three at once took the user's
   * request budget from every other request (RELIABILITY.md, "Small ones").
   */
  private readonly searches = new Semaphore(1)

  constructor(
    readonly driver: StorageDriver,
    opts: FsServiceOptions = {},
  ) {
    this.lists = new ListCache(opts.listTtlMs ?? 10_000)
    if (opts.detailsTtlMs !== undefined) this.space = new QuotaCache(() => driver.details(), opts.detailsTtlMs)
  }

  /** The object at `path`, answered from the parent's cached listing when there is one. */
  async stat(path: string, refresh = false): Promise<Obj> {
    if (path === '/') return this.driver.getRoot()
    if (!refresh) {
      const siblings = this.lists.peek(parentOf(path))
      if (siblings) {
        const hit = siblings.find((o) => o.name === nameOf(path))
        if (!hit) throw new DriverError('NOT_FOUND', `nothing at "${path}"`)
        return hit
      }
    }
    return this.driver.get(path)
  }

  /** Stat that answers undefined instead of NOT_FOUND. */
  async tryStat(path: string): Promise<Obj | undefined> {
    try {
      return await this.stat(path)
    } catch (e) {
      if (e instanceof DriverError && e.code === 'NOT_FOUND') return undefined
      throw e
    }
  }

  async list(path: string, refresh = false): Promise<{ dir: Obj; children: Obj[] }> {
    const dir = await this.stat(path, refresh)
    if (!dir.isFolder) throw new DriverError('NOT_FOLDER', `"${path}" is a file, not a folder`)
    const children = await this.lists.get(dir.path, () => this.driver.list(dir), refresh)
    return { dir, children }
  }

  /** mkdir -p: creates every missing folder along `path`. */
  async mkdirp(path: string): Promise<Obj> {
    let current = this.driver.getRoot()
    for (const name of path.split('/').filter(Boolean)) {
      const existing = await this.tryStat(joinTo(current.path, name))
      if (existing) {
        if (!existing.isFolder) throw new DriverError('ALREADY_EXISTS', `"${existing.path}" is a file, not a folder`)
        current = existing
        continue
      }
      current = await this.write([current.path], [], () => this.driver.makeDir(current, name))
    }
    return current
  }

  /** Creates one folder; ALREADY_EXISTS if anything holds the name (WebDAV MKCOL needs to know). */
  async mkdirStrict(parent: Obj, name: string): Promise<Obj> {
    const existing = await this.tryStat(joinTo(parent.path, name))
    if (existing) throw new DriverError('ALREADY_EXISTS', `"${existing.path}" already exists`)
    return this.write([parent.path], [], () => this.driver.makeDir(parent, name))
  }

  async remove(obj: Obj): Promise<void> {
    await this.write([parentOf(obj.path)], [obj.path], () => this.driver.remove(obj))
  }

  async rename(obj: Obj, newName: string, conflict: ConflictMode = 'refuse'): Promise<Obj> {
    return this.write([parentOf(obj.path)], [obj.path], () => this.driver.rename(obj, newName, { conflict }))
  }

  async move(obj: Obj, dstDir: Obj, conflict: ConflictMode = 'refuse'): Promise<Obj> {
    return this.write([parentOf(obj.path), dstDir.path], [obj.path], () => this.driver.move(obj, dstDir, { conflict }))
  }

  async copy(obj: Obj, dstDir: Obj, conflict: ConflictMode = 'refuse'): Promise<Obj> {
    return this.write([dstDir.path], [joinTo(dstDir.path, obj.name)], () => this.driver.copy(obj, dstDir, { conflict }))
  }

  async upload(dir: Obj, source: UploadSource, opts: UploadOptions = {}): Promise<Obj> {
    return this.write([dir.path], [], () => this.driver.upload(dir, source, { conflict: 'overwrite', ...opts }))
  }

  link(file: Obj, opts: LinkOptions = {}): Promise<Link> {
    return this.driver.link(file, opts)
  }

  /**
   * The storage row's proxy options for `path` (docs/host-notes.md §8.1): a single storage has no row, so none; the
   * table of mounts answers its row's (mount-table.ts), an account's view the options behind its path (scoped-fs.ts).
   */
  proxyAt(_path: string): RowProxy {
    return {}
  }

  /** The storage's space; `refresh` asks the driver again (a listing with refresh, as OpenList's). */
  details(refresh = false): Promise<StorageDetails> {
    if (!this.space) return this.driver.details()
    if (refresh) this.space.invalidate()
    return this.space.get()
  }

  /** A driver-specific call (`video_preview` for AliyunDrive), as OpenList's FsOther passes it through. */
  other(method: string, obj: Obj): Promise<unknown> {
    return this.driver.other(method, obj)
  }

  /** Name search under `dir`; NOT_SUPPORTED when the driver has no search. */
  async search(dir: Obj, keywords: string, opts: SearchOptions = {}): Promise<Obj[]> {
    if (!this.driver.search) throw new DriverError('NOT_SUPPORTED', 'this storage cannot search')
    const release = await this.searches.acquire(opts.signal)
    try {
      return await this.driver.search(dir, keywords, opts)
    } finally {
      release()
    }
  }

  /** Runs a write and drops the touched listings whatever the outcome (a failed overwrite may have half-happened). */
  private async write<T>(dirs: string[], trees: string[], op: () => Promise<T>): Promise<T> {
    try {
      return await op()
    } finally {
      this.space?.invalidate()
      for (const d of dirs) this.lists.invalidate(d)
      for (const t of trees) this.lists.invalidateTree(t)
    }
  }
}

/**
 * The surface every route handler uses (`ctx.fs`): a DriveFsService over one storage, or a MountTable
 * (mount-table.ts) presenting the same over many. Structural, so both fit; `new FsService(driver)` still builds one.
 */
export type FsService = Omit<DriveFsService, 'driver'>
export const FsService = DriveFsService
