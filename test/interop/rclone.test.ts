/**
 * rclone as a real WebDAV client (vendor "other", configured by environment, docs/host-notes.md §4): copy a tree with a
 * multi-part-sized file and a CJK name, list it, check contents by downloading, read a byte range, move and purge.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { PASSWORD, startStack, USER, type Stack } from '../helpers/stack.js'
import { requireTool, run, rcloneRemoteEnv } from '../helpers/interop-tools.js'

let s: Stack
let dir: string
let env: Record<string, string>

beforeAll(async () => {
  requireTool('rclone')
  s = await startStack()
  dir = await mkdtemp(join(tmpdir(), 'ado-rclone-'))
  const fx = join(dir, 'fx')
  await mkdir(join(fx, 'sub'), { recursive: true })
  const big = Buffer.alloc(3 * 1024 * 1024 + 17)
  for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 10)) & 0xff
  await writeFile(join(fx, 'big.bin'), big)
  await writeFile(join(fx, '中文 名.txt'), 'héllo 世界\n')
  await writeFile(join(fx, 'sub', 'a.txt'), 'a\n')
  env = await rcloneRemoteEnv({ dir, davUrl: `${s.server.url}/dav`, vendor: 'other', user: USER, password: PASSWORD })
}, 60_000)
afterAll(async () => {
  await s?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const rclone = (...args: string[]) => run('rclone', args, { env, timeoutMs: 90_000 })

it('copy, lsjson, check --download, cat with offset/count, moveto, purge', async () => {
  const fx = join(dir, 'fx')
  const copy = await rclone('copy', fx, 'T:ct')
  expect(copy.code, copy.stderr).toBe(0)

  const ls = await rclone('lsjson', '-R', 'T:ct')
  expect(ls.code, ls.stderr).toBe(0)
  const entries = JSON.parse(ls.stdout) as Array<{ Path: string; Size: number; IsDir: boolean }>
  expect(entries.map((e) => e.Path).sort()).toEqual(['big.bin', 'sub', 'sub/a.txt', '中文 名.txt'])
  expect(entries.find((e) => e.Path === 'big.bin')?.Size).toBe(3 * 1024 * 1024 + 17)

  const check = await rclone('check', '--download', fx, 'T:ct')
  expect(check.code, check.stderr).toBe(0)
  expect(check.stderr).toMatch(/0 differences found/)

  const cat = await run('rclone', ['cat', 'T:ct/big.bin', '--offset', '1000000', '--count', '64'], { env })
  const big = await readFile(join(fx, 'big.bin'))
  expect(cat.code, cat.stderr).toBe(0)
  expect(cat.stdoutBytes.equals(big.subarray(1_000_000, 1_000_064))).toBe(true)

  const moved = await rclone('moveto', 'T:ct/sub/a.txt', 'T:ct/renamed.txt')
  expect(moved.code, moved.stderr).toBe(0)
  expect((await rclone('cat', 'T:ct/renamed.txt')).stdout).toBe('a\n')

  const purge = await rclone('purge', 'T:ct')
  expect(purge.code, purge.stderr).toBe(0)
  expect((await rclone('lsjson', 'T:')).stdout).not.toContain('"ct"')
}, 120_000)

it('about shows total, used and free from the drive quota', async () => {
  const about = await rclone('about', 'T:', '--json')
  expect(about.code, about.stderr).toBe(0)
  const figures = JSON.parse(about.stdout) as { total?: number; used?: number; free?: number }
  const { totalSpace, usedSpace } = await s.driver.details()
  expect(figures).toMatchObject({ total: totalSpace, used: usedSpace, free: totalSpace - usedSpace })
  const text = await rclone('about', 'T:')
  expect(text.stdout).toMatch(/Total:\s+\S+/)
  expect(text.stdout).toMatch(/Used:\s+\S+/)
  expect(text.stdout).toMatch(/Free:\s+\S+/)
}, 60_000)
