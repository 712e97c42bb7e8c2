/**
 * `put` survives a kill: a 200 MiB upload killed with SIGKILL after at least 40 % was stored continues when the same
 * command runs again ("resuming at N %"), sends at most the remaining share plus one part (bytes counted by the
 * emulator), and the file's SHA-1 is right. The session record lives in `.<config>.uploads/` (0700) and is gone after.
 */
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { cli, MAIN } from '../helpers/cli.js'

const MiB = 1024 * 1024
const SIZE = 200 * MiB
const PART = 20 * MiB // the part size the driver plans for this size (OpenList's)

let emu: EmulatorHandle
let dir: string
let configPath: string
let stateDir: string
let file: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ado-put-resume-'))
  emu = await startEmulator({ port: 0, limits: false, storageDir: dir })
  configPath = join(dir, 'storage.json')
  stateDir = join(dir, '.storage.json.uploads')
  await writeFile(configPath, JSON.stringify(emu.driverConfig({ drive_type: 'resource' })))
  file = join(dir, 'big.bin')
  const fh = await open(file, 'w')
  for (let i = 0; i < SIZE / (8 * MiB); i++) await fh.write(randomBytes(8 * MiB))
  await fh.close()
}, 120_000)

afterAll(async () => {
  await emu?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

async function sha1File(path: string): Promise<string> {
  const h = createHash('sha1')
  for await (const c of createReadStream(path)) h.update(c as Buffer)
  return h.digest('hex')
}

async function partsRecorded(): Promise<number> {
  try {
    const names = (await readdir(stateDir)).filter((n) => n.endsWith('.json'))
    if (names.length !== 1) return 0
    return (JSON.parse(await readFile(join(stateDir, names[0]!), 'utf8')) as { partsDone: number[] }).partsDone.length
  } catch {
    return 0
  }
}

describe('put resumes after SIGKILL', () => {
  it('the second run finishes with the right SHA-1 and sends at most the rest plus one part', async () => {
    const args = ['--config', configPath, '--api-url', emu.apiUrl, 'put', file, '/']
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stderr.on('data', (c: Buffer) => (out += c.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code, sig) => resolve(sig ? -1 : code)))
    // Kill once the CLI has recorded at least 4 of the 10 parts as stored (40 %).
    for (;;) {
      if ((await partsRecorded()) >= 4) break
      const done = await Promise.race([
        exited.then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), 20)),
      ])
      if (done) throw new Error(`put finished before it could be killed:\n${out}`)
    }
    child.kill('SIGKILL')
    expect(await exited).toBe(-1)
    expect(emu.findByPath('resource', '/big.bin')).toBeUndefined()
    expect((await stat(stateDir)).mode & 0o777).toBe(0o700)

    emu.resetStats()
    const second = await cli(args)
    expect(second.code, second.stderr).toBe(0)
    const pct = Number(/resuming at (\d+) %/.exec(second.stderr)?.[1])
    expect(pct).toBeGreaterThanOrEqual(40)
    const sent = emu.stats().partBytes
    process.stderr.write(
      `put-resume: resumed at ${pct} %, second run sent ${(sent / MiB).toFixed(1)} MiB of ${SIZE / MiB} MiB\n`,
    )
    expect(sent).toBeLessThanOrEqual(SIZE * (1 - pct / 100) + PART)
    expect(emu.findByPath('resource', '/big.bin')?.content_hash?.toLowerCase()).toBe(await sha1File(file))
    expect((await readdir(stateDir)).filter((n) => n.endsWith('.json'))).toEqual([]) // finished: the record is gone
  }, 240_000)
})
