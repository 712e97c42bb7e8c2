/**
 * Test files on disk. The content is random (8 MiB of random bytes with a block counter mixed in), so neither rapid
 * upload nor any compression can shortcut it, and writing it costs little more than the disk.
 */
import { randomBytes } from 'node:crypto'
import { open, rm } from 'node:fs/promises'

export async function writeRandomFile(path: string, size: number): Promise<void> {
  const block = randomBytes(8 * 1024 * 1024)
  const h = await open(path, 'w')
  try {
    for (let off = 0, i = 0; off < size; off += block.length, i++) {
      block.writeUInt32LE(i, 0)
      await h.write(block, 0, Math.min(block.length, size - off), off)
    }
  } finally {
    await h.close()
  }
}

export const removeFile = (path: string) => rm(path, { force: true })
