/**
 * The `--config FILE`: an OpenList AliyundriveOpen `addition` (JSON object), or a whole OpenList storage row whose
 * `addition` is a JSON string (or object). Token rotations are written back in the same shape, touching only the keys
 * whose values changed, atomically: a temp file in the same directory, fsync, rename, fsync of the directory — a
 * rotated refresh token that is lost (crash mid-write, torn file) locks the user out (contract §2 saveConfig).
 */
import { randomBytes } from 'node:crypto'
import { open, readFile, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { parseConfig, type DriverConfig } from '../config/index.js'
import { DriverError } from '../errors/index.js'
import { recoverStaleTempFiles } from './stale-temp-files.js'

type Json = Record<string, unknown>

export class ConfigFile {
  private baseline: DriverConfig
  private writing: Promise<void> = Promise.resolve()

  private constructor(
    readonly path: string,
    private readonly doc: Json,
    /** 'storage-string': doc.addition is JSON text; 'storage-object': doc.addition is an object; 'addition': doc is it. */
    private readonly shape: 'addition' | 'storage-string' | 'storage-object',
    private readonly mode: number,
  ) {
    this.baseline = parseConfig(this.addition())
  }

  static async load(path: string): Promise<ConfigFile> {
    let text: string
    let mode = 0o600
    try {
      text = await readFile(path, 'utf8')
      if (await recoverStaleTempFiles(path, text)) text = await readFile(path, 'utf8')
      mode = (await stat(path)).mode & 0o777
    } catch (e) {
      throw new DriverError('INVALID_CONFIG', `cannot read the config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
    }
    let doc: unknown
    try {
      doc = JSON.parse(text)
    } catch {
      throw new DriverError('INVALID_CONFIG', `the config file ${path} is not valid JSON`)
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new DriverError('INVALID_CONFIG', `the config file ${path} must hold a JSON object`)
    const obj = doc as Json
    const shape = 'addition' in obj && !('refresh_token' in obj) ? (typeof obj.addition === 'string' ? 'storage-string' : 'storage-object') : 'addition'
    return new ConfigFile(path, obj, shape, mode)
  }

  /** The addition object as the driver should receive it. */
  addition(): Json {
    if (this.shape === 'addition') return this.doc
    if (this.shape === 'storage-object') return this.doc.addition as Json
    return JSON.parse(this.doc.addition as string) as Json
  }

  get config(): DriverConfig {
    return this.baseline
  }

  /** saveConfig for the driver host: serialised, so two rotations never interleave their writes. */
  save(config: DriverConfig): Promise<void> {
    const next = this.writing.then(() => this.write(config))
    this.writing = next.catch(() => undefined)
    return next
  }

  private async write(config: DriverConfig): Promise<void> {
    const addition = this.addition()
    let changed = false
    for (const [key, value] of Object.entries(config) as Array<[keyof DriverConfig, unknown]>) {
      if (this.baseline[key] === value) continue
      addition[key] = value
      if (key === 'AccessToken' && 'access_token' in addition) addition.access_token = value
      changed = true
    }
    if (!changed) return
    if (this.shape === 'storage-string') this.doc.addition = JSON.stringify(addition)
    else if (this.shape === 'storage-object') this.doc.addition = addition
    await writeAtomically(this.path, `${JSON.stringify(this.doc, null, 2)}\n`, this.mode)
    this.baseline = { ...config }
  }
}

export async function writeAtomically(path: string, text: string, mode = 0o600): Promise<void> {
  const dir = dirname(path)
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  const fh = await open(tmp, 'w', mode)
  try {
    await fh.writeFile(text, 'utf8')
    await fh.sync()
  } catch (e) {
    await fh.close()
    await rm(tmp, { force: true })
    throw e
  }
  await fh.close()
  try {
    await rename(tmp, path)
  } catch (e) {
    await rm(tmp, { force: true })
    throw e
  }
  // The rename is durable only once the directory entry is: fsync the directory (not supported everywhere).
  try {
    const dh = await open(dir, 'r')
    try {
      await dh.sync()
    } finally {
      await dh.close()
    }
  } catch {
    /* best effort */
  }
}
