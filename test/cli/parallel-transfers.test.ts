/**
 * Parallel folder transfers within what AliyunDrive allows (docs/api-notes.md §3.11: 3 concurrent downloads per user;
 * one more is refused 403 RequestDeniedByCallback / ExceedMaxConcurrency). The emulator models the cap
 * (`maxConcurrentDownloads`) and counts the most downloads one user had running at once; `get -r` and `put -r`
 * run with the real rate limits and the cap on, and get neither a 429 nor a refusal. `--parallel` is checked like
 * every option: a bad value exits 2 naming the option and the value.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { get as httpGet, type IncomingMessage } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inParallel } from '../../src/cli/in-parallel.js'
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js'
import { cli } from '../helpers/cli.js'
import { sumsOf } from '../helpers/tree-sums.js'
import { call } from '../helpers/emulator.js'

let dir: string
const emus: EmulatorHandle[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ado-parallel-'))
})
afterAll(async () => {
  for (const e of emus) await e.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

async function setup(name: string, opts: EmulatorOptions = {}) {
  const emu = await startEmulator({ port: 0, ...opts })
  emus.push(emu)
  const config = join(dir, `${name}.json`)
  await writeFile(config, JSON.stringify(emu.driverConfig({ drive_type: 'resource' })), { mode: 0o600 })
  return { emu, base: ['--config', config, '--api-url', emu.apiUrl] }
}

/** A GET whose body is not read: the emulator keeps the download running (backpressure) until it is destroyed. */
function openGet(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => httpGet(url, resolve).on('error', reject))
}

describe('parallel transfers', () => {
  it('inParallel runs at most `limit` at once, every item once, started in list order', async () => {
    const started: number[] = []
    const waiting: Array<() => void> = []
    let running = 0
    let peak = 0
    const done = inParallel([0, 1, 2, 3, 4, 5, 6], 3, async (i) => {
      started.push(i)
      running++
      peak = Math.max(peak, running)
      await new Promise<void>((r) => waiting.push(r))
      running--
    })
    while (started.length < 7 || waiting.length > 0) {
      await new Promise((r) => setImmediate(r))
      expect(running).toBeLessThanOrEqual(3)
      waiting.shift()?.()
    }
    await done
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(peak).toBe(3)
  })

  it('the emulator refuses a 4th concurrent download 403 ExceedMaxConcurrency, and takes one again once one ends', async () => {
    const { emu } = await setup('cap', {
      limits: false,
      maxConcurrentDownloads: 3,
      seed: [{ path: '/big.bin', size: 64 << 20 }],
    })
    const token = emu.issueAccessToken()
    const fileId = emu.findByPath('resource', '/big.bin')!.file_id
    const link = async () =>
      (
        (
          await call(emu, token, '/adrive/v1.0/openFile/getDownloadUrl', {
            drive_id: emu.driveIds.resource,
            file_id: fileId,
          })
        ).body as { url: string }
      ).url
    const held = [await openGet(await link()), await openGet(await link()), await openGet(await link())]
    expect(held.map((r) => r.statusCode)).toEqual([200, 200, 200])
    const fourth = await fetch(await link())
    expect(fourth.status).toBe(403)
    const body = await fourth.text()
    expect(body).toContain('RequestDeniedByCallback')
    expect(body).toContain('ExceedMaxConcurrency')
    expect(emu.stats().downloadsOverConcurrency).toBe(1)
    expect(emu.stats().downloadsPeak).toBe(3)
    const closed = new Promise((r) => held[0]!.once('close', r))
    held[0]!.destroy()
    await closed
    // The server sees the close a moment later: poll (bounded by the test timeout, no timed assertion).
    let again = await fetch(await link(), { headers: { Range: 'bytes=0-9' } })
    while (again.status === 403) {
      await again.text()
      await new Promise((r) => setTimeout(r, 20))
      again = await fetch(await link(), { headers: { Range: 'bytes=0-9' } })
    }
    expect(again.status).toBe(206)
    await again.arrayBuffer()
    for (const r of held) r.destroy()
  })

  it('get -r and put -r of 60 files, real rate limits and the cap on: no 429, no refusal, 3 at once', async () => {
    const { emu, base } = await setup('tree', { maxConcurrentDownloads: 3 })
    const src = join(dir, 'src')
    const want = new Map<string, string>()
    for (let i = 0; i < 60; i++) {
      const folder = join(src, `d${i % 3}`)
      mkdirSync(folder, { recursive: true })
      // Small files, and a few of 1–2 MB so that downloads overlap in time.
      const bytes = randomBytes(i % 10 === 0 ? 1_000_000 + i * 10_000 : 3000 + i)
      writeFileSync(join(folder, `f${i}.bin`), bytes)
      want.set(`d${i % 3}/f${i}.bin`, createHash('sha1').update(bytes).digest('hex'))
    }
    const up = await cli([...base, 'put', '-r', '-q', '--parallel', '3', src, '/tree'])
    expect(up.code, up.stderr).toBe(0)
    expect(up.stderr).toContain('60 uploaded, 0 already up to date, 0 failed (of 60 files)')
    emu.resetStats()
    // Each download lasts a little while, so that the three at once overlap at the download host.
    emu.setFaults({ downloadLatencyMs: 300 })
    const out = join(dir, 'out')
    const down = await cli([...base, 'get', '-r', '-q', '/tree', out])
    expect(down.code, down.stderr).toBe(0)
    expect(sumsOf(out)).toEqual(want)
    const stats = emu.stats()
    expect(stats.downloadsOverConcurrency).toBe(0)
    expect(stats.statuses[403]).toBeUndefined()
    expect(stats.downloadsPeak).toBe(3)
    expect(stats.rateLimited).toBe(0)
    expect(stats.statuses[429]).toBeUndefined()
  }, 180_000)

  it('--parallel: a bad value exits 2 naming the option and the value; without -r it is refused', async () => {
    const { base } = await setup('flags', { limits: false, seed: [{ path: '/a.txt', content: 'a' }] })
    const over = await cli([...base, 'get', '-r', '--parallel', '4', '/', join(dir, 'x')])
    expect(over.code).toBe(2)
    expect(over.stderr).toContain("option '--parallel <n>' argument '4' is invalid")
    expect(over.stderr).toContain('from 1 to 3')
    const zero = await cli([...base, 'put', '-r', '--parallel', '0', dir, '/x'])
    expect(zero.code).toBe(2)
    expect(zero.stderr).toContain("option '--parallel <n>' argument '0' is invalid")
    const word = await cli([...base, 'put', '-r', '--parallel', 'many', dir, '/x'])
    expect(word.code).toBe(2)
    expect(word.stderr).toContain("argument 'many' is invalid")
    const single = await cli([...base, 'get', '--parallel', '2', '/a.txt', join(dir, 'a.txt')])
    expect(single.code).toBe(2)
    expect(single.stderr).toContain('--parallel applies to get -r only')
  }, 60_000)
})
