/**
 * A local folder as the folder-transfer tests compare it: every file's path relative to the root (with `/`) and the
 * SHA-1 of its bytes, so a tree sent up and fetched back is checked byte for byte.
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'

export function sumsOf(root: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const e of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue
    const path = join(e.parentPath, e.name)
    out.set(relative(root, path).split(sep).join('/'), createHash('sha1').update(readFileSync(path)).digest('hex'))
  }
  return out
}
