/**
 * Ctrl-C during `put` says how far it got and what to do ("interrupted at N %: run the same command
 * again to resume"), exits 130, and the same command then resumes.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { cli, isolatedHomeEnv, MAIN } from '../helpers/cli.js'

const MiB = 1024 * 1024

let emu: EmulatorHandle
let dir: string
let configPath: string
let file: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ado-put-interrupt-'))
  emu = await startEmulator({ port: 0, limits: false, storageDir: dir })
  configPath = join(dir, 'storage.json')
  await writeFile(configPath, JSON.stringify(emu.driverConfig({ drive_type: 'resource' })))
  file = join(dir, 'big.bin')
  await writeFile(file, '')
  await truncate(file, 200 * MiB) // sparse: no disk to fill, and rapid upload is off by default
}, 120_000)

afterAll(async () => {
  await emu?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('put interrupted by Ctrl-C', () => {
  it('prints where it stopped and how to resume, and the rerun resumes', async () => {
    const args = ['--config', configPath, '--api-url', emu.apiUrl, 'put', file, '/']
    const child = spawn(process.execPath, [MAIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...isolatedHomeEnv() },
    })
    let out = ''
    child.stderr.on('data', (c: Buffer) => (out += c.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    const stateDir = join(dir, '.storage.json.uploads')
    // Interrupt once the first part is recorded as stored.
    for (;;) {
      const records = await readdir(stateDir).catch(() => [])
      if (records.some((n) => n.endsWith('.json'))) break
      const done = await Promise.race([
        exited.then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), 20)),
      ])
      if (done) throw new Error(`put finished before it could be interrupted:\n${out}`)
    }
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(out).toMatch(/big\.bin: interrupted at \d+ %: run the same command again to resume\n$/)
    expect(emu.findByPath('resource', '/big.bin')).toBeUndefined()

    const again = await cli(args)
    expect(again.code, again.stderr).toBe(0)
    expect(again.stderr).toMatch(/resuming at \d+ %/)
    expect(emu.findByPath('resource', '/big.bin')?.size).toBe(200 * MiB)
  }, 240_000)
})
