/**
 * Crash safety of an overwriting upload (RELIABILITY.md, section "Upload with overwrite"): the CLI's `put` (a real
 * child process) is SIGKILLed at each step
 * of replacing /big.bin — after create reserved the upload, mid part PUT, right as complete arrives, as the old copy
 * is being trashed, and at random moments. After every kill:
 * - /big.bin still exists, and every visible copy holds the old bytes or the complete new bytes (never a torn file);
 * - the old bytes are gone only if the new bytes are complete (the kill came after complete);
 * - the unfinished reservation is invisible and nothing else in the drive changed;
 * and the next, uninterrupted `put` of the same name succeeds and leaves exactly one /big.bin with the new bytes.
 * The emulator (with storageDir, as a real backend would keep its data) lives here, in the parent.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { mulberry32 } from '../../src/emulator/prng.js'
import { cli, MAIN } from '../helpers/cli.js'
import { after, afterPartPuts, runAndKill, type Trigger } from '../helpers/crash.js'

const SIZE = 3 * 1024 * 1024
const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex').toUpperCase()
const bytesFor = (version: number) => Buffer.alloc(SIZE, version & 0xff)

let dir: string
let emu: EmulatorHandle

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ado-crash-upload-'))
  // Latency widens each step so the kill lands where the trigger says; limits off: the CLI brings its own limiter.
  emu = await startEmulator({
    port: 0,
    limits: false,
    storageDir: join(dir, 'store'),
    faults: { latencyMs: 25 },
    seed: [{ path: '/keep/other.txt', content: 'untouched' }],
  })
}, 120_000)
afterAll(async () => {
  await emu?.close()
  await rm(dir, { recursive: true, force: true })
})

/** A fresh config per run, so this test is about the upload, not about a token the previous kill may have cost. */
async function freshConfig(): Promise<string> {
  const path = join(dir, 'config.json')
  await writeFile(path, JSON.stringify(emu.driverConfig()))
  return path
}

const holders = () => emu.debugTree('resource').filter((e) => e.path === '/big.bin' && !e.trashed)
const others = () =>
  emu
    .debugTree('resource')
    .filter((e) => e.path !== '/big.bin' && !e.trashed)
    .map((e) => `${e.path} ${e.content_hash ?? ''}`)

describe('SIGKILL mid-upload-with-overwrite', () => {
  it('never loses or tears /big.bin, hides the reservation, and the next put cleans up', async () => {
    const random = mulberry32(77)
    const points: Array<[string, Trigger, number]> = [
      ['after create', after('/adrive/v1.0/openFile/create'), 5],
      ['mid part PUT', afterPartPuts(1), 2],
      ['as complete arrives', after('/adrive/v1.0/openFile/complete'), 10],
      ['while trashing the old copy', after('/adrive/v1.0/openFile/recyclebin/trash'), 0],
      ['random moment A', after('/adrive/v1.0/openFile/get_by_path'), Math.floor(random() * 200)],
      ['random moment B', after('/oauth/access_token'), Math.floor(random() * 300)],
    ]
    let version = 1
    let local = join(dir, 'v1.bin')
    await writeFile(local, bytesFor(version))
    const first = await cli([
      '--config',
      await freshConfig(),
      '--api-url',
      emu.apiUrl,
      'put',
      local,
      '/',
      '--name',
      'big.bin',
      '-q',
    ])
    expect(first.code, first.stderr).toBe(0)
    const report: string[] = []

    for (const [label, trigger, delayMs] of points) {
      const oldHash = sha1(bytesFor(version))
      version++
      const newHash = sha1(bytesFor(version))
      local = join(dir, `v${version}.bin`)
      await writeFile(local, bytesFor(version))
      const otherBefore = others()
      emu.resetStats()

      const run = await runAndKill(
        [MAIN, '--config', await freshConfig(), '--api-url', emu.apiUrl, 'put', local, '/', '--name', 'big.bin', '-q'],
        emu,
        trigger,
        delayMs,
      )
      const hashes = holders().map((e) => e.content_hash)
      report.push(
        `${label}: ${run.killed ? 'killed' : `exited ${run.code}`}, ` +
          `copies ${hashes.map((h) => (h === oldHash ? 'old' : h === newHash ? 'new' : h)).join('+')}`,
      )
      expect(hashes.length, `${label}: /big.bin vanished`).toBeGreaterThan(0)
      for (const h of hashes) expect([oldHash, newHash], `${label}: torn copy`).toContain(h)
      if (!hashes.includes(newHash))
        expect(hashes, `${label}: old copy lost before the new one was complete`).toContain(oldHash)
      expect(others(), `${label}: something else changed`).toEqual(otherBefore)

      const resumed = await cli([
        '--config',
        await freshConfig(),
        '--api-url',
        emu.apiUrl,
        'put',
        local,
        '/',
        '--name',
        'big.bin',
        '-q',
      ])
      expect(resumed.code, `${label}: next put failed: ${resumed.stderr}`).toBe(0)
      expect(
        holders().map((e) => e.content_hash),
        `${label}: after the next put`,
      ).toEqual([newHash])
      expect(others()).toEqual(otherBefore)
    }
    console.log(`crash upload:\n  ${report.join('\n  ')}`)
    // At least most kills really landed mid-operation (a child that finished first proves nothing).
    expect(report.filter((r) => r.includes('killed')).length).toBeGreaterThanOrEqual(4)
  }, 120_000)
})
