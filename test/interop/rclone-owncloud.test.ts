/**
 * Debian's rclone with `vendor = owncloud` (docs/host-notes.md §6): a copied tree checks with every hash compared and
 * nothing downloaded, sha1sum lists the drive's hashes, a second sync sends nothing, lsl shows the local times.
 * Downloads and uploaded bytes are read from the emulator's counters.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, mkdir, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { PASSWORD, startStack, USER, type Stack } from '../helpers/stack.js'
import { requireTool, run, rcloneRemoteEnv } from '../helpers/interop-tools.js'

let s: Stack
let dir: string
let fx: string
let env: Record<string, string>
const names = Array.from({ length: 10 }, (_, i) => `f${i}.txt`)
/** Distinct whole-second times in the past, so a time kept by the server is told apart from the upload time. */
const timeOf = (i: number) => 1_500_000_000 + i * 86_400

beforeAll(async () => {
  requireTool('rclone')
  s = await startStack({ seed: [{ path: '/oc', folder: true }] })
  dir = await mkdtemp(join(tmpdir(), 'ado-rclone-oc-'))
  fx = join(dir, 'fx')
  await mkdir(fx, { recursive: true })
  for (const [i, name] of names.entries()) {
    const file = join(fx, name)
    await writeFile(file, `file ${i}\n`.repeat(i * 50 + 1))
    await utimes(file, timeOf(i), timeOf(i))
  }
  env = {
    ...(await rcloneRemoteEnv({
      dir,
      davUrl: `${s.server.url}/dav`,
      vendor: 'owncloud',
      user: USER,
      password: PASSWORD,
    })),
    TZ: 'UTC',
  }
}, 60_000)
afterAll(async () => {
  await s?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const rclone = (...args: string[]) => run('rclone', args, { env, timeoutMs: 90_000 })
const creates = () => s.emu.stats().calls['/adrive/v1.0/openFile/create'] ?? 0

it('copy, then check compares every hash without a download, and sha1sum lists the drive hashes', async () => {
  const copy = await rclone('copy', fx, 'T:oc/tree')
  expect(copy.code, copy.stderr).toBe(0)

  const downloads = s.emu.stats().downloads
  const check = await rclone('check', '-v', fx, 'T:oc/tree')
  expect(check.code, check.stderr).toBe(0)
  expect(check.stderr).toMatch(/0 differences found/)
  expect(check.stderr).toMatch(/10 matching files/)
  expect(check.stderr).not.toMatch(/could not be checked/)
  expect(s.emu.stats().downloads).toBe(downloads)

  const sums = await rclone('sha1sum', 'T:oc/tree')
  expect(sums.code, sums.stderr).toBe(0)
  for (const name of names) {
    const local = createHash('sha1')
      .update(await readFile(join(fx, name)))
      .digest('hex')
    expect(sums.stdout).toContain(`${local}  ${name}`)
  }
  expect(s.emu.stats().downloads).toBe(downloads)
}, 120_000)

it('sync twice: the second run sends nothing; lsl shows the local times', async () => {
  const first = await rclone('sync', fx, 'T:oc/synced')
  expect(first.code, first.stderr).toBe(0)
  const [bytes, made] = [s.emu.stats().partBytes, creates()]
  const second = await rclone('sync', '-v', fx, 'T:oc/synced')
  expect(second.code, second.stderr).toBe(0)
  expect(s.emu.stats().partBytes).toBe(bytes)
  expect(creates()).toBe(made)
  expect(second.stderr).toMatch(/There was nothing to transfer/)

  const lsl = await rclone('lsl', 'T:oc/synced')
  expect(lsl.code, lsl.stderr).toBe(0)
  for (const [i, name] of names.entries()) {
    const when = new Date(timeOf(i) * 1000)
    const stamp = `${when.toISOString().slice(0, 10)} ${when.toISOString().slice(11, 19)}`
    const line = lsl.stdout.split('\n').find((l) => l.endsWith(` ${name}`))
    expect(line, lsl.stdout).toBeDefined()
    // rclone prints the time of day in its TZ, set to UTC above.
    expect(line).toContain(stamp)
  }
}, 120_000)
