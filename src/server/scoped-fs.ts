/**
 * One account's view of the file service (README "Accounts"): its `/` is its base path, every path it sends is
 * joined below that folder and every object it gets back is shown relative to it, so no route can name anything
 * outside (the client paths are already clean: no '..', safe-path.ts). A read-only account's view refuses every
 * write here as well, behind the routes' own refusal, so a route that forgot to check still changes nothing.
 */
import { DriverError } from '../errors/index.js'
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
import { ReadOnlyError } from './server-errors.js'
import type { FsService } from './fs-service.js'
import { isWithin } from './safe-path.js'

export class ScopedFs implements FsService {
  constructor(
    private readonly inner: FsService,
    /** Normalised; '/' = no confinement. */
    readonly basePath: string,
    readonly readOnly: boolean,
  ) {}

  /** The drive path behind an account path. */
  real(path: string): string {
    if (this.basePath === '/') return path
    return path === '/' ? this.basePath : `${this.basePath}${path}`
  }

  async stat(path: string, refresh = false): Promise<Obj> {
    return this.out(await this.inner.stat(this.real(path), refresh))
  }

  async tryStat(path: string): Promise<Obj | undefined> {
    const obj = await this.inner.tryStat(this.real(path))
    return obj && this.out(obj)
  }

  async list(path: string, refresh = false): Promise<{ dir: Obj; children: Obj[] }> {
    const { dir, children } = await this.inner.list(this.real(path), refresh)
    return { dir: this.out(dir), children: children.map((c) => this.out(c)) }
  }

  async mkdirp(path: string): Promise<Obj> {
    this.writable('create folders')
    return this.out(await this.inner.mkdirp(this.real(path)))
  }

  async mkdirStrict(parent: Obj, name: string): Promise<Obj> {
    this.writable(`create "${name}"`)
    return this.out(await this.inner.mkdirStrict(this.in(parent), name))
  }

  async remove(obj: Obj): Promise<void> {
    this.writable(`remove "${obj.path}"`)
    this.notRoot(obj, 'remove')
    await this.inner.remove(this.in(obj))
  }

  async rename(obj: Obj, newName: string, conflict?: ConflictMode): Promise<Obj> {
    this.writable(`rename "${obj.path}"`)
    this.notRoot(obj, 'rename')
    return this.out(await this.inner.rename(this.in(obj), newName, conflict))
  }

  async move(obj: Obj, dstDir: Obj, conflict?: ConflictMode): Promise<Obj> {
    this.writable(`move "${obj.path}"`)
    this.notRoot(obj, 'move')
    return this.out(await this.inner.move(this.in(obj), this.in(dstDir), conflict))
  }

  async copy(obj: Obj, dstDir: Obj, conflict?: ConflictMode): Promise<Obj> {
    this.writable(`copy "${obj.path}"`)
    return this.out(await this.inner.copy(this.in(obj), this.in(dstDir), conflict))
  }

  async upload(dir: Obj, source: UploadSource, opts?: UploadOptions): Promise<Obj> {
    this.writable(`upload "${source.name}"`)
    return this.out(await this.inner.upload(this.in(dir), source, opts))
  }

  link(file: Obj, opts?: LinkOptions): Promise<Link> {
    return this.inner.link(this.in(file), opts)
  }

  proxyAt(path: string): RowProxy {
    return this.inner.proxyAt(this.real(path))
  }

  details(): Promise<StorageDetails> {
    return this.inner.details()
  }

  other(method: string, obj: Obj): Promise<unknown> {
    return this.inner.other(method, this.in(obj))
  }

  async search(dir: Obj, keywords: string, opts?: SearchOptions): Promise<Obj[]> {
    const hits = await this.inner.search(this.in(dir), keywords, opts)
    // The search runs below the account's folder; anything else the storage answered is not the account's to see.
    return hits.filter((o) => this.basePath === '/' || isWithin(o.path, this.basePath)).map((o) => this.out(o))
  }

  private in(obj: Obj): Obj {
    return { ...obj, path: this.real(obj.path) }
  }

  private out(obj: Obj): Obj {
    if (this.basePath === '/') return obj
    if (obj.path === this.basePath) return { ...obj, path: '/' }
    if (!isWithin(obj.path, this.basePath)) throw new DriverError('NOT_FOUND', 'nothing at that path in this account')
    return { ...obj, path: obj.path.slice(this.basePath.length) }
  }

  private writable(what: string): void {
    if (this.readOnly) throw new ReadOnlyError(`this account is read-only: cannot ${what}`)
  }

  /** The account's `/` is a folder of the drive to the driver; to the account it is the root, kept as roots are. */
  private notRoot(obj: Obj, verb: string): void {
    if (obj.path === '/' && this.basePath !== '/')
      throw new DriverError('NOT_SUPPORTED', `cannot ${verb} the root folder of this account`)
  }
}
