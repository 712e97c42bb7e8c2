/**
 * rclone through WebDAV with many transfers at once against AliyunDrive's per-user download cap (docs/api-notes.md
 * §3.11: a 4th concurrent download is refused 403 ExceedMaxConcurrency) and its real rate limits: `serve` queues
 * proxied downloads on its slots (small files read from their listed URL take a slot too, docs/api-notes.md §13.3),
 * so `rclone copy --transfers 8` gets every file SHA-1 equal with no refusal and no 429.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { PASSWORD, startStack, USER, type Stack } from '../helpers/stack.js'
import { requireTool, run, rcloneRemoteEnv } from '../helpers/interop-tools.js'

let s: Stack
let dir: string
let env: Record<string, string>

const seed = [
  ...Array.from({ length: 24 }, (_, i) => ({ path: `/src/s${i}.txt`, content: `small ${i} `.repeat(200 + i) })),
  { path: '/src/mid.bin', size: 2_000_000 },
  { path: '/src/large-1.bin', size: 6_000_000 },
  { path: '/src/large-2.bin', size: 6_500_000 },
]

beforeAll(async () => {
  requireTool('rclone')
  s = await startStack({
    seed,
    limits: { list: 4, link: 1, other: 15 },
    maxConcurrentDownloads: 3,
    // Each download lasts a little while, so that rclone's transfers overlap at the download host.
    faults: { downloadLatencyMs: 200 },
  })
  dir = await mkdtemp(join(tmpdir(), 'ado-rclone-par-'))
  env = await rcloneRemoteEnv({ dir, davUrl: `${s.server.url}/dav`, vendor: 'other', user: USER, password: PASSWORD })
}, 60_000)
afterAll(async () => {
  await s?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

it('rclone copy --transfers 8 of 27 files: all SHA-1 equal, 0 × ExceedMaxConcurrency, 0 × 429', async () => {
  s.emu.resetStats()
  const out = join(dir, 'out')
  const copy = await run('rclone', ['copy', '--transfers', '8', 'T:src', out], { env, timeoutMs: 150_000 })
  expect(copy.code, copy.stderr).toBe(0)
  const names = (await readdir(out)).sort()
  expect(names).toEqual(seed.map((e) => e.path.slice('/src/'.length)).sort())
  for (const name of names) {
    const want = s.emu.findByPath('resource', `/src/${name}`)!.content_hash!.toLowerCase()
    expect(
      createHash('sha1')
        .update(await readFile(join(out, name)))
        .digest('hex'),
      name,
    ).toBe(want)
  }
  const stats = s.emu.stats()
  expect(stats.downloadsOverConcurrency).toBe(0)
  expect(stats.downloadsPeak).toBeLessThanOrEqual(3)
  expect(stats.downloadsPeak).toBeGreaterThan(1) // they did overlap: the cap was put to the test
  expect(stats.rateLimited).toBe(0)
  expect(stats.statuses[429]).toBeUndefined()
}, 180_000)
