/**
 * SHA-1 of a file, two ways: `ours` goes through the rapid-upload hashing path (hashForRapidUpload on a fromFile
 * source, progress reporting included); `plain` is createHash('sha1') fed by a read loop into one reused 4 MiB buffer.
 */
import { createHash } from 'node:crypto'
import { open, stat } from 'node:fs/promises'
import { fromFile } from '../../src/index.js'
import { ProgressReporter } from '../../src/upload/progress.js'
import { hashForRapidUpload } from '../../src/upload/rapid/full-hash.js'
import { childMain } from '../lib/proc.js'

async function plain(file: string): Promise<string> {
  const h = await open(file, 'r')
  const buf = Buffer.allocUnsafe(4 * 1024 * 1024)
  const hash = createHash('sha1')
  try {
    for (;;) {
      const { bytesRead } = await h.read(buf, 0, buf.length, null)
      if (bytesRead === 0) break
      hash.update(buf.subarray(0, bytesRead))
    }
  } finally {
    await h.close()
  }
  return hash.digest('hex')
}

async function ours(file: string): Promise<string> {
  const source = fromFile(file)
  const size = (await stat(file)).size
  let reports = 0
  try {
    const content = await hashForRapidUpload(source, new ProgressReporter(size, () => reports++))
    return content.sha1
  } finally {
    await source.dispose?.()
  }
}

childMain(async ({ mode, file }: { mode: 'ours' | 'plain'; file: string }) => {
  const t0 = performance.now()
  const sha1 = await (mode === 'ours' ? ours(file) : plain(file))
  return { ms: performance.now() - t0, sha1 }
})
