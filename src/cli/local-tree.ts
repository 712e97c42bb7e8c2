/** The local side of `put -r`: the files and folders under a root, and a file's SHA-1 (to skip what is up to date). */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'

export interface LocalFile {
  /** '/'-separated path relative to the root. */
  rel: string
  abs: string
  size: number
}

/** Regular files and folders under `root` (symbolic links and other kinds are listed as skipped). */
export async function walkLocal(root: string): Promise<{ files: LocalFile[]; folders: string[]; skipped: string[] }> {
  const files: LocalFile[] = []
  const folders: string[] = []
  const skipped: string[] = []
  const visit = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true })
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const e of entries) {
      const abs = join(dir, e.name)
      const rel = relative(root, abs).split(sep).join('/')
      if (e.isDirectory()) {
        folders.push(rel)
        await visit(abs)
      } else if (e.isFile()) {
        files.push({ rel, abs, size: (await stat(abs)).size })
      } else {
        skipped.push(rel)
      }
    }
  }
  await visit(root)
  return { files, folders, skipped }
}

export async function sha1OfFile(path: string): Promise<string> {
  const hash = createHash('sha1')
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
