/**
 * One lock over a `--config FILE` for every process that uses it (`serve`, CLI commands, `login`): refresh tokens are
 * single-use, so two processes that rotate the same one at once lock the user out. The lock is `proper-lockfile`'s
 * `<realpath>.lock` directory, whose mtime its holder refreshes, so a lock left by a killed process goes stale and
 * is taken over after `STALE_MS`. Within one process the lock is re-entrant (a save inside a locked token rotation
 * does not wait for itself) and contenders queue instead of polling the file system.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { open, readFile, realpath, stat } from 'node:fs/promises'
import lockfile from 'proper-lockfile'
import { jsonSyntaxMessage } from '../config/index.js'
import { DriverError } from '../errors/index.js'
import { writeAtomically } from './atomic-write.js'

export type JsonObject = Record<string, unknown>

/** A holder that stops refreshing the lock's mtime for this long (killed, frozen) loses it. */
const STALE_MS = 10_000
/** How long to wait for another process's lock (a token exchange with its retries fits well within it). */
const DEFAULT_WAIT_MS = 90_000

/** A file that holds tokens is readable by its owner only. */
export const TOKEN_FILE_MODE = 0o600

const held = new AsyncLocalStorage<ReadonlySet<string>>()
const queues = new Map<string, Promise<void>>()

export interface LockOptions {
  /** Give up waiting for the lock after this long (default 90 s). */
  waitMs?: number
  /** Told when the lock was lost while held (its mtime could not be refreshed); the work already done stands. */
  onCompromised?: (error: Error) => void
}

/** Runs `fn` holding the config file's lock. The file must exist. */
export async function withConfigFileLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const key = await resolvePath(path)
  const holding = held.getStore()
  if (holding?.has(key)) return fn()
  const previous = queues.get(key) ?? Promise.resolve()
  let leave!: () => void
  const mine = new Promise<void>((resolve) => (leave = resolve))
  const tail = previous.then(() => mine)
  queues.set(key, tail)
  try {
    await previous
    const release = await acquire(key, options)
    try {
      return await held.run(new Set([...(holding ?? []), key]), fn)
    } finally {
      await release().catch(() => undefined) // a lock already lost (compromised) cannot be released: nothing to undo
    }
  } finally {
    leave()
    if (queues.get(key) === tail) queues.delete(key)
  }
}

/**
 * Reads the config file under its lock, lets `mutate` change the OpenList `addition` object (whichever shape the file
 * has: a bare addition, or a storage row whose `addition` is JSON text or an object) and writes the file back
 * atomically with every other key kept. `mutate` returns false to write nothing. With `create`, a missing file is
 * first created as `{}`. What is written holds tokens, so the file is written 0600 whatever its mode was. A symlink is
 * resolved once: the lock, the read and the write are all on the real file, and the link stays.
 */
export async function updateConfigFile(
  path: string,
  mutate: (addition: JsonObject) => boolean | void | Promise<boolean | void>,
  options: LockOptions & { create?: boolean } = {},
): Promise<JsonObject> {
  if (options.create) await createIfMissing(path)
  const real = await resolvePath(path)
  return withConfigFileLock(
    real,
    async () => {
      const { doc, addition } = await readConfigDocument(real)
      if ((await mutate(addition)) === false) return addition
      if (typeof doc.addition === 'string' && doc !== addition) doc.addition = JSON.stringify(addition)
      await writeAtomically(real, `${JSON.stringify(doc, null, 2)}\n`, TOKEN_FILE_MODE)
      return addition
    },
    options,
  )
}

export interface ConfigDocument {
  doc: JsonObject
  /** The addition object; the same object as `doc` (a bare addition) or inside it (an object `addition`). */
  addition: JsonObject
  mode: number
}

/** The config file's text and permission bits; INVALID_CONFIG naming the file when it cannot be read. */
export async function readConfigText(path: string): Promise<{ text: string; mode: number }> {
  try {
    return { text: await readFile(path, 'utf8'), mode: (await stat(path)).mode & 0o777 }
  } catch (e) {
    throw new DriverError(
      'INVALID_CONFIG',
      `cannot read the config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    )
  }
}

/** Reads and parses the config file (no lock: writers replace it by rename, so a read never sees a torn file). */
export async function readConfigDocument(path: string): Promise<ConfigDocument> {
  const { text, mode } = await readConfigText(path)
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (e) {
    throw new DriverError('INVALID_CONFIG', `the config file ${path} is not valid JSON: ${jsonSyntaxMessage(text, e)}`)
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new DriverError('INVALID_CONFIG', `the config file ${path} must hold a JSON object`)
  const obj = doc as JsonObject
  if (!('addition' in obj) || 'refresh_token' in obj) return { doc: obj, addition: obj, mode }
  if (typeof obj.addition === 'string') {
    try {
      const addition: unknown = JSON.parse(obj.addition)
      if (addition && typeof addition === 'object' && !Array.isArray(addition))
        return { doc: obj, addition: addition as JsonObject, mode }
    } catch {
      /* reported below */
    }
    throw new DriverError('INVALID_CONFIG', `the config file ${path}: "addition" is not a JSON object`)
  }
  if (obj.addition && typeof obj.addition === 'object' && !Array.isArray(obj.addition))
    return { doc: obj, addition: obj.addition as JsonObject, mode }
  throw new DriverError('INVALID_CONFIG', `the config file ${path}: "addition" must be an object or JSON text`)
}

async function resolvePath(path: string): Promise<string> {
  try {
    return await realpath(path)
  } catch (e) {
    throw new DriverError(
      'INVALID_CONFIG',
      `cannot lock the config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    )
  }
}

async function acquire(file: string, options: LockOptions): Promise<() => Promise<void>> {
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS
  try {
    return await lockfile.lock(file, {
      stale: STALE_MS,
      realpath: false, // already resolved: the lock is `<realpath>.lock` whichever symlink was named
      retries: {
        retries: Math.ceil(waitMs / 50),
        minTimeout: 20,
        maxTimeout: 250,
        factor: 1.3,
        randomize: true,
        maxRetryTime: waitMs,
      },
      onCompromised: (e) => options.onCompromised?.(e),
    })
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    const why =
      code === 'ELOCKED'
        ? `another process has held ${file}.lock for over ${Math.round(waitMs / 1000)} s`
        : `${code ?? (e as Error).message}`
    throw new DriverError('UPSTREAM', `cannot lock the config file ${file}: ${why}`, { cause: e })
  }
}

async function createIfMissing(path: string): Promise<void> {
  try {
    const fh = await open(path, 'wx', 0o600)
    try {
      await fh.writeFile('{}\n', 'utf8')
    } finally {
      await fh.close()
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
      throw new DriverError(
        'INVALID_CONFIG',
        `cannot create the config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      )
  }
}
