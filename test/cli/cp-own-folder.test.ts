/**
 * `cp` into the object's own folder: the CLI no longer checks this itself; the driver's refusal
 * (src/driver/transfer-steps.ts refuseCopyOntoItself) is what the user sees, with its exit code.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { cli } from '../helpers/cli.js'

let emu: EmulatorHandle
let dir: string
let base: string[]

beforeAll(async () => {
  emu = await startEmulator({ port: 0, limits: false, seed: [{ path: '/docs/a.txt', content: 'one\n' }] })
  dir = await mkdtemp(join(tmpdir(), 'ado-cp-'))
  const configPath = join(dir, 'config.json')
  await writeFile(configPath, JSON.stringify(emu.driverConfig()))
  base = ['--config', configPath, '--api-url', emu.apiUrl]
}, 120_000)

afterAll(async () => {
  await emu?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('cp into its own folder', () => {
  it('refuses without --rename (exit 4, or 11 for --overwrite), naming "rename" as the way, and copies nothing', async () => {
    const refused = await cli([...base, 'cp', '/docs/a.txt', '/docs'])
    expect(refused.code, refused.stderr).toBe(4)
    expect(refused.stderr).toMatch(
      /"\/docs\/a\.txt" already exists \(a copy into its own folder needs conflict "rename"/,
    )
    const overwrite = await cli([...base, 'cp', '--overwrite', '/docs/a.txt', '/docs'])
    expect(overwrite.code, overwrite.stderr).toBe(11)
    expect(overwrite.stderr).toMatch(/cannot copy "\/docs\/a\.txt" over itself/)
    expect((await cli([...base, 'ls', '/docs'])).stdout.trim()).toBe('a.txt')
  })

  it('copies alongside with --rename', async () => {
    const r = await cli([...base, 'cp', '--rename', '/docs/a.txt', '/docs'])
    expect(r.code, r.stderr).toBe(0)
    expect((await cli([...base, 'ls', '/docs'])).stdout.split('\n').filter(Boolean)).toHaveLength(2)
  })
})
