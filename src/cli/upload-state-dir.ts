/**
 * The CLI's upload session store: one JSON file per unfinished upload in a folder next to the config
 * (`.<config name>.uploads/`, mode 0700; files 0600, written atomically), so a `put` killed half-way continues where it
 * stopped when the same command runs again. Records of finished uploads are deleted by the driver; records long past
 * their expiry are swept when the store opens. A record only just expired is left for the driver, which removes its
 * reservation on the service the next time the same file is uploaded.
 */
import { createHash } from 'node:crypto'
import { chmod, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { UploadSessionRecord, UploadSessionStore } from '../host/types.js'
import { DEFAULT_SESSION_MAX_AGE_MS } from '../upload/resume.js'
import { writeAtomically } from '../persist/atomic-write.js'

/** Past this age the service has dropped the parts (it keeps them about 10 days), so the record is useless. */
const SWEEP_AFTER_MS = 30 * 24 * 3600_000

export function uploadStateDirFor(configPath: string): string {
  return join(dirname(configPath), `.${basename(configPath)}.uploads`)
}

export class UploadStateDir implements UploadSessionStore {
  readonly maxAgeMs = DEFAULT_SESSION_MAX_AGE_MS

  private constructor(readonly dir: string) {}

  static async open(dir: string, now = Date.now()): Promise<UploadStateDir> {
    await mkdir(dir, { recursive: true, mode: 0o700 })
    await chmod(dir, 0o700)
    const store = new UploadStateDir(dir)
    await store.sweep(now)
    return store
  }

  private fileFor(key: string): string {
    return join(this.dir, `${createHash('sha1').update(key).digest('hex')}.json`)
  }

  async load(key: string): Promise<UploadSessionRecord | undefined> {
    let text: string
    try {
      text = await readFile(this.fileFor(key), 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw e
    }
    try {
      const rec = JSON.parse(text) as UploadSessionRecord
      return rec.key === key ? rec : undefined
    } catch {
      // A record torn by a crash mid-write cannot happen (atomic writes); anything unreadable is not ours to trust.
      return undefined
    }
  }

  async save(record: UploadSessionRecord): Promise<void> {
    await writeAtomically(this.fileFor(record.key), `${JSON.stringify(record)}\n`, 0o600)
  }

  async delete(key: string): Promise<void> {
    await rm(this.fileFor(key), { force: true })
  }

  /** Removes records far past their expiry and leftovers of interrupted atomic writes. */
  private async sweep(now: number): Promise<void> {
    for (const name of await readdir(this.dir)) {
      const path = join(this.dir, name)
      try {
        if (!name.endsWith('.json')) {
          if ((await stat(path)).mtimeMs < now - 3600_000) await rm(path, { force: true })
          continue
        }
        const rec = JSON.parse(await readFile(path, 'utf8')) as Partial<UploadSessionRecord>
        if (typeof rec.createdAt !== 'number' || now - rec.createdAt > SWEEP_AFTER_MS) await rm(path, { force: true })
      } catch {
        await rm(path, { force: true })
      }
    }
  }
}

/** The store of the config file the CLI runs with (`--config` or $ALIYUNDRIVE_OPEN_CONFIG). */
export async function openUploadState(configPath: string | undefined): Promise<UploadStateDir | undefined> {
  const path = configPath ?? process.env.ALIYUNDRIVE_OPEN_CONFIG
  return path ? UploadStateDir.open(uploadStateDirFor(path)) : undefined
}

/** "name: resuming at 42 % (4 of 10 parts already stored)", on stderr. */
export function resumeNotice(name: string, out: NodeJS.WritableStream = process.stderr) {
  return (r: { bytesDone: number; total: number; partsDone: number; partCount: number }): void => {
    const pct = r.total > 0 ? Math.floor((r.bytesDone / r.total) * 100) : 100
    out.write(`${name}: resuming at ${pct} % (${r.partsDone} of ${r.partCount} parts already stored)\n`)
  }
}
