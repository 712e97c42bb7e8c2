/**
 * The config file's lock (config-file-lock.ts): processes that read-modify-write one file under it never lose an
 * update; the file keeps its shape and other keys and ends 0600; a lock left by a killed process is taken over; in-process
 * re-entry does not deadlock.
 */
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { updateConfigFile, withConfigFileLock } from '../../src/persist/config-file-lock.js'
import { run } from '../helpers/interop-tools.js'
import { ROOT } from '../helpers/cli.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ado-lock-'))
}, 300_000)
afterAll(() => rm(dir, { recursive: true, force: true }))

/** A child process that increments `counter` in the file `times` times, each a slow read-modify-write under the lock. */
function incrementer(path: string, times: number) {
  const lib = pathToFileURL(join(ROOT, 'dist', 'persist', 'config-file-lock.js')).href
  const script = `
    const { updateConfigFile } = await import(${JSON.stringify(lib)})
    for (let i = 0; i < ${times}; i++) {
      await updateConfigFile(${JSON.stringify(path)}, async (a) => {
        const seen = a.counter
        await new Promise((r) => setTimeout(r, 2))
        a.counter = seen + 1
      })
    }`
  return run(process.execPath, ['--input-type=module', '-e', script], { timeoutMs: 120_000 })
}

describe('config file lock', () => {
  it('four processes × 15 read-modify-writes of one file lose no update', async () => {
    const path = join(dir, 'counter.json')
    await writeFile(
      path,
      JSON.stringify({ mount_path: '/a', addition: JSON.stringify({ refresh_token: 'r', counter: 0 }) }),
      { mode: 0o640 },
    )
    const results = await Promise.all([1, 2, 3, 4].map(() => incrementer(path, 15)))
    for (const r of results) expect(r.stderr).toBe('')
    const doc = JSON.parse(await readFile(path, 'utf8')) as { mount_path: string; addition: string }
    expect(doc.mount_path).toBe('/a')
    expect(JSON.parse(doc.addition)).toEqual({ refresh_token: 'r', counter: 60 })
    expect((await stat(path)).mode & 0o777).toBe(0o600) // it holds tokens: written 0600 (RELIABILITY.md "Files on disk")
  })

  it('re-entry in the same async flow runs at once; another flow of the process never runs inside the holder', async () => {
    const path = join(dir, 'reentrant.json')
    await writeFile(path, '{"refresh_token":"r"}')
    const order: string[] = []
    const outer = withConfigFileLock(path, async () => {
      order.push('outer start')
      await updateConfigFile(path, (a) => {
        a.inner = true
      })
      await new Promise((r) => setTimeout(r, 30))
      order.push('outer end')
    })
    const other = withConfigFileLock(path, async () => {
      order.push('other')
    })
    await Promise.all([outer, other])
    // Never inside the holder's critical section, whichever flow got the lock first.
    expect([
      ['outer start', 'outer end', 'other'],
      ['other', 'outer start', 'outer end'],
    ]).toContainEqual(order)
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ refresh_token: 'r', inner: true })
  })

  it('a lock whose holder died (its mtime no longer refreshed) is taken over', async () => {
    const path = join(dir, 'stale.json')
    await writeFile(path, '{}')
    await mkdir(`${path}.lock`)
    const old = new Date(Date.now() - 60_000)
    await utimes(`${path}.lock`, old, old)
    await expect(withConfigFileLock(path, async () => 'ran')).resolves.toBe('ran')
  })

  it('a lock held by a live process is waited for, then a clear error after the wait bound', async () => {
    const path = join(dir, 'held.json')
    await writeFile(path, '{}')
    await mkdir(`${path}.lock`) // fresh mtime: looks held
    await expect(withConfigFileLock(path, async () => 'ran', { waitMs: 300 })).rejects.toMatchObject({
      code: 'UPSTREAM',
      message: expect.stringMatching(/another process has held .*held\.json\.lock/),
    })
  })

  it('create: a missing file is created as {} with mode 0600, then updated', async () => {
    const path = join(dir, 'new.json')
    await updateConfigFile(
      path,
      (a) => {
        a.refresh_token = 'fresh'
      },
      { create: true },
    )
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ refresh_token: 'fresh' })
    expect((await stat(path)).mode & 0o777).toBe(0o600)
  })
})
