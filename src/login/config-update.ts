/**
 * Read-modify-write of a whole config file (any shape: one addition, one storage row, or a list of storages) under
 * the config file's lock (src/persist/config-file-lock.ts, the one token rotation uses) and atomically. `mutate` gets the current
 * text, or undefined when the file did not exist, and returns the new text. A new file is created 0600; an existing
 * one is rewritten 0600 too (it holds tokens). A file this call created is removed again if `mutate` throws, so a
 * failed login leaves nothing.
 */
import { open, readFile, rm } from 'node:fs/promises'
import { resolve } from 'node:path'
import { writeAtomically } from '../persist/atomic-write.js'
import { readConfigText, TOKEN_FILE_MODE, withConfigFileLock } from '../persist/config-file-lock.js'
import { DriverError } from '../errors/index.js'

/** What a just-created file holds until the first write replaces it (the lock needs an existing file). */
const PLACEHOLDER = ''

/**
 * In-process order of the read-modify-writes of one file. The file lock is re-entrant within one async flow, so the
 * saves a token rotation makes for each row of its account (run side by side, inside its lock) would otherwise read
 * the same text and the last write would drop the others' rows. Taken inside the file lock, never around it, so a
 * writer waiting for the file lock cannot hold up the lock holder's own writes.
 */
const inProcess = new Map<string, Promise<void>>()

function serialized(key: string, fn: () => Promise<void>): Promise<void> {
  const previous = inProcess.get(key) ?? Promise.resolve()
  const mine = previous.then(fn)
  const tail = mine.catch(() => undefined)
  inProcess.set(key, tail)
  void tail.then(() => {
    if (inProcess.get(key) === tail) inProcess.delete(key)
  })
  return mine
}

export async function rewriteConfigFile(path: string, mutate: (text: string | undefined) => string): Promise<void> {
  const created = await createIfMissing(path)
  try {
    await withConfigFileLock(path, () =>
      serialized(resolve(path), async () => {
        // A login writes a token: the file ends 0600 whatever its mode was (RELIABILITY.md "Files on disk").
        const { text } = await readConfigText(path)
        await writeAtomically(path, mutate(created && text === PLACEHOLDER ? undefined : text), TOKEN_FILE_MODE)
      }),
    )
  } catch (e) {
    if (created) await removeIfPlaceholder(path)
    throw e
  }
}

async function createIfMissing(path: string): Promise<boolean> {
  try {
    const fh = await open(path, 'wx', 0o600)
    await fh.close()
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw new DriverError(
      'INVALID_CONFIG',
      `cannot create the config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    )
  }
}

async function removeIfPlaceholder(path: string): Promise<void> {
  try {
    if ((await readFile(path, 'utf8')) === PLACEHOLDER) await rm(path, { force: true })
  } catch {
    /* already gone */
  }
}
