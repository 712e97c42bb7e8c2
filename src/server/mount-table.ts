/**
 * Many storages behind the one file service the route handlers use (`ctx.fs`), as OpenList mounts them: each at its
 * mount path, the folders above the mounts virtual and read-only, `/` listing the top-level mounts. Paths and objects
 * cross this seam as the server sees them (`/res/a.txt`); each mount's DriveFsService sees its own (`/a.txt`).
 * A storage that failed to mount still shows as an (empty) folder; listing it answers its error. Copy between
 * storages streams the bytes through (cross-mount-copy.ts); move between them is refused.
 */
import { DriverError, isDriverError } from '../errors/index.js'
import type {
  ConflictMode,
  Link,
  LinkOptions,
  Obj,
  SearchOptions,
  StorageDetails,
  UploadOptions,
  UploadSource,
} from '../host/types.js'
import type { RowProxy } from '../persist/row-proxy.js'
import { copyAcrossMounts } from './cross-mount-copy.js'
import type { DriveFsService, FsService } from './fs-service.js'
import { isWithin, joinTo, nameOf } from './safe-path.js'

export interface Mount {
  /** Normalised: '/res', '/a/b'. Never '/'. */
  path: string
  fs?: DriveFsService
  /** Why the storage is not mounted (its init failed). */
  error?: Error
  /** The row's proxy options (web_proxy, webdav_policy, down_proxy_url): which answer a download gets. */
  proxy?: RowProxy
}

type Located = { kind: 'mount'; mount: Mount; local: string } | { kind: 'virtual'; path: string }

export class MountTable implements FsService {
  private readonly mounts: Mount[]
  private readonly since = new Date()

  constructor(mounts: Mount[]) {
    for (const m of mounts)
      if (m.path === '/' || !m.path.startsWith('/'))
        throw new DriverError('INVALID_CONFIG', `mount path "${m.path}" must be below "/"`)
    // Longest first, so a mount nested in another (/a/b in /a) wins for its own paths.
    this.mounts = [...mounts].sort((a, b) => b.path.length - a.path.length)
  }

  /** The mounts, longest path first. */
  get all(): readonly Mount[] {
    return this.mounts
  }

  /** The proxy options of the storage holding `path` (none above the mounts). */
  proxyAt(path: string): RowProxy {
    const at = this.locate(path)
    return at.kind === 'mount' ? (at.mount.proxy ?? {}) : {}
  }

  async stat(path: string, refresh = false): Promise<Obj> {
    const at = this.locate(path)
    if (at.kind === 'virtual') return this.virtualFolder(at.path)
    if (at.local === '/') return this.mountRoot(at.mount)
    return this.toGlobal(at.mount, await this.live(at.mount).stat(at.local, refresh))
  }

  async tryStat(path: string): Promise<Obj | undefined> {
    try {
      return await this.stat(path)
    } catch (e) {
      if (isDriverError(e) && e.code === 'NOT_FOUND') return undefined
      throw e
    }
  }

  async list(path: string, refresh = false): Promise<{ dir: Obj; children: Obj[] }> {
    const at = this.locate(path)
    if (at.kind === 'virtual') return { dir: this.virtualFolder(at.path), children: this.virtualChildren(at.path, []) }
    const listed = await this.live(at.mount).list(at.local, refresh)
    const children = listed.children.map((o) => this.toGlobal(at.mount, o))
    const dir = at.local === '/' ? this.mountRoot(at.mount) : this.toGlobal(at.mount, listed.dir)
    return { dir, children: this.virtualChildren(dir.path, children) }
  }

  async mkdirp(path: string): Promise<Obj> {
    const at = this.locate(path)
    if (at.kind === 'virtual') return this.virtualFolder(at.path)
    if (at.local === '/') return this.mountRoot(at.mount)
    return this.toGlobal(at.mount, await this.live(at.mount).mkdirp(at.local))
  }

  async mkdirStrict(parent: Obj, name: string): Promise<Obj> {
    const { mount, obj } = this.writable(parent, `create "${name}" in`)
    return this.toGlobal(mount, await this.live(mount).mkdirStrict(obj, name))
  }

  async remove(obj: Obj): Promise<void> {
    const { mount, obj: local } = this.writable(obj, 'remove', true)
    await this.live(mount).remove(local)
  }

  async rename(obj: Obj, newName: string, conflict: ConflictMode = 'refuse'): Promise<Obj> {
    const { mount, obj: local } = this.writable(obj, 'rename', true)
    return this.toGlobal(mount, await this.live(mount).rename(local, newName, conflict))
  }

  async move(obj: Obj, dstDir: Obj, conflict: ConflictMode = 'refuse'): Promise<Obj> {
    const src = this.writable(obj, 'move', true)
    const dst = this.writable(dstDir, `move "${obj.name}" into`)
    if (src.mount !== dst.mount) {
      throw new DriverError(
        'NOT_SUPPORTED',
        `cannot move "${obj.path}" to "${dstDir.path}": ` +
          `they are on different storages (${src.mount.path}, ${dst.mount.path}); copy it, then delete the original`,
      )
    }
    return this.toGlobal(src.mount, await this.live(src.mount).move(src.obj, dst.obj, conflict))
  }

  async copy(obj: Obj, dstDir: Obj, conflict: ConflictMode = 'refuse'): Promise<Obj> {
    const srcAt = this.locate(obj.path)
    if (srcAt.kind === 'virtual')
      throw new DriverError(
        'NOT_SUPPORTED',
        `"${obj.path}" is a virtual folder above the storages; copy the storages' contents instead`,
      )
    const dst = this.writable(dstDir, `copy "${obj.name}" into`)
    const local = { ...obj, path: srcAt.local }
    if (srcAt.mount === dst.mount)
      return this.toGlobal(dst.mount, await this.live(dst.mount).copy(local, dst.obj, conflict))
    const copied = await copyAcrossMounts(this.live(srcAt.mount), local, this.live(dst.mount), dst.obj, conflict)
    return this.toGlobal(dst.mount, copied)
  }

  async upload(dir: Obj, source: UploadSource, opts: UploadOptions = {}): Promise<Obj> {
    const { mount, obj } = this.writable(dir, `upload "${source.name}" into`)
    return this.toGlobal(mount, await this.live(mount).upload(obj, source, opts))
  }

  link(file: Obj, opts: LinkOptions = {}): Promise<Link> {
    const at = this.locate(file.path)
    if (at.kind === 'virtual') throw new DriverError('NOT_FILE', `"${file.path}" is a folder`)
    return this.live(at.mount).link({ ...file, path: at.local }, opts)
  }

  other(method: string, obj: Obj): Promise<unknown> {
    const at = this.locate(obj.path)
    if (at.kind === 'virtual')
      throw new DriverError('NOT_SUPPORTED', `"${obj.path}" is a virtual folder above the storages`)
    return this.live(at.mount).other(method, { ...obj, path: at.local })
  }

  /** Search in the storage holding `dir`; from a virtual folder, in every mounted storage below it. */
  async search(dir: Obj, keywords: string, opts: SearchOptions = {}): Promise<Obj[]> {
    const at = this.locate(dir.path)
    if (at.kind === 'mount') {
      const hits = await this.live(at.mount).search({ ...dir, path: at.local }, keywords, opts)
      return hits.map((o) => this.toGlobal(at.mount, o))
    }
    const out: Obj[] = []
    for (const m of this.mounts) {
      if (!m.fs || !isWithin(m.path, at.path)) continue
      const root = m.fs.driver.getRoot()
      for (const o of await m.fs.search(root, keywords, opts)) out.push(this.toGlobal(m, o))
    }
    return out
  }

  /** Space over every mounted storage (storages of one account count their space once per mount, as OpenList does). */
  async details(): Promise<StorageDetails> {
    let totalSpace = 0
    let usedSpace = 0
    for (const m of this.mounts) {
      if (!m.fs) continue
      const d = await m.fs.details()
      totalSpace += d.totalSpace
      usedSpace += d.usedSpace
    }
    return { totalSpace, usedSpace }
  }

  private locate(path: string): Located {
    for (const mount of this.mounts) {
      if (path === mount.path) return { kind: 'mount', mount, local: '/' }
      if (isWithin(path, mount.path)) return { kind: 'mount', mount, local: path.slice(mount.path.length) }
    }
    if (path === '/' || this.mounts.some((m) => isWithin(m.path, path))) return { kind: 'virtual', path }
    throw new DriverError('NOT_FOUND', `nothing at "${path}": it is outside every mounted storage`)
  }

  /** The mount's file service, or its mount error (with the storage named). */
  private live(mount: Mount): DriveFsService {
    if (mount.fs) return mount.fs
    const cause = mount.error
    const code = isDriverError(cause) ? cause.code : 'UPSTREAM'
    throw new DriverError(code, `the storage at ${mount.path} is not mounted: ${cause?.message ?? 'unknown error'}`)
  }

  /** The object mapped into its mount, refusing virtual folders and (with `notRoot`) the mount root itself. */
  private writable(obj: Obj, verb: string, notRoot = false): { mount: Mount; obj: Obj } {
    const at = this.locate(obj.path)
    if (at.kind === 'virtual')
      throw new DriverError(
        'NOT_SUPPORTED',
        `cannot ${verb} "${obj.path}": it is a read-only virtual folder above the storages`,
      )
    if (notRoot && at.local === '/')
      throw new DriverError('NOT_SUPPORTED', `cannot ${verb} "${obj.path}": it is where a storage is mounted`)
    return { mount: at.mount, obj: { ...obj, path: at.local } }
  }

  private toGlobal(mount: Mount, obj: Obj): Obj {
    return { ...obj, path: obj.path === '/' ? mount.path : `${mount.path}${obj.path}` }
  }

  private mountRoot(mount: Mount): Obj {
    const root = mount.fs?.driver.getRoot()
    return root ? { ...root, path: mount.path, name: nameOf(mount.path) } : this.virtualFolder(mount.path)
  }

  private virtualFolder(path: string): Obj {
    return {
      id: `mount:${path}`,
      path,
      name: path === '/' ? '' : nameOf(path),
      size: 0,
      isFolder: true,
      modified: this.since,
      created: this.since,
      hashes: {},
    }
  }

  /** `existing` plus a folder for every mount (or folder leading to one) directly below `dir` not already listed. */
  private virtualChildren(dir: string, existing: Obj[]): Obj[] {
    const out = [...existing]
    const names = new Set(existing.map((o) => o.name))
    for (const m of [...this.mounts].reverse()) {
      if (!isWithin(m.path, dir) || m.path === dir) continue
      const rest = m.path.slice(dir === '/' ? 1 : dir.length + 1)
      const name = rest.split('/')[0]!
      if (names.has(name)) continue
      names.add(name)
      const path = joinTo(dir, name)
      const mount = this.mounts.find((x) => x.path === path)
      out.push(mount ? this.mountRoot(mount) : this.virtualFolder(path))
    }
    return out
  }
}
