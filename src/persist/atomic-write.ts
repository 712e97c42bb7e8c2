/**
 * Replacing a file so that a reader or a crash sees either the old text or the new, never a torn one: a temp file in
 * the same directory (`.<name>.<pid>.<hex>.tmp`, the pattern stale-temp-files.ts recovers), fsync, rename, fsync of
 * the directory. A rotated refresh token that is lost (crash mid-write, torn file) locks the user out.
 */
import { randomBytes } from 'node:crypto'
import { open, realpath, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * A `path` that is a symlink is resolved first: the new text replaces the file the link points at, next to it, and the
 * link stays. Renaming over the link itself turned a linked config into a plain file whose tokens the linked file never
 * saw, so the next process was told to re-authorize (RELIABILITY.md "Files on disk").
 */
export async function writeAtomically(linkOrPath: string, text: string, mode = 0o600): Promise<void> {
  const path = await realpath(linkOrPath).catch(() => linkOrPath)
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
