/**
 * Spooled request bodies live under one scratch folder we own, and a start removes what a dead process left there
 * (RELIABILITY.md "Files on disk"; src/server/scratch-dir.ts).
 */
import { spawnSync } from 'node:child_process'
import { mkdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { removeDeadScratch, scratchDir, scratchRoot } from '../../src/server/scratch-dir.js'

/** The pid of a process that has already exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  )

describe('scratch folder', () => {
  it('this process spools under <tmpdir>/aliyundrive-open-<uid>/<pid>, closed to others', async () => {
    const dir = await scratchDir()
    expect(dir).toBe(join(scratchRoot(), String(process.pid)))
    expect((await stat(scratchRoot())).mode & 0o777).toBe(0o700)
    expect((await stat(dir)).mode & 0o077).toBe(0)
  })

  it('a start removes the bodies of dead processes and keeps the living ones', async () => {
    const dead = join(scratchRoot(), String(deadPid()), 'aliyundrive-open-put-x1')
    await mkdir(dead, { recursive: true })
    await writeFile(join(dead, 'body'), Buffer.alloc(1024))
    const own = join(await scratchDir(), 'aliyundrive-open-form-y2')
    await mkdir(own, { recursive: true })
    expect(await removeDeadScratch()).toBeGreaterThanOrEqual(1)
    expect(await exists(dead)).toBe(false)
    expect(await exists(own)).toBe(true)
  })
})
