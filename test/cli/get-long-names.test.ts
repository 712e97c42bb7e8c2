/**
 * A remote name too long for the local file system. `get` says which file, how long its name is and
 * the limit (not a raw ENAMETOOLONG); `get -r` goes on with the other files and lists the failure at the end.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { cli } from '../helpers/cli.js'

const LONG = `${'n'.repeat(296)}.txt` // 300 bytes: AliyunDrive takes it, ext4 and APFS do not (255 per name)

let emu: EmulatorHandle
let dir: string
let base: string[]

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    limits: false,
    seed: [
      { path: '/box/a.txt', content: 'first\n' },
      { path: `/box/${LONG}`, content: 'too long a name\n' },
      { path: '/box/z.txt', content: 'last\n' },
    ],
  })
  dir = await mkdtemp(join(tmpdir(), 'ado-long-names-'))
  const config = join(dir, 'storage.json')
  await writeFile(config, JSON.stringify(emu.driverConfig({ drive_type: 'resource' })))
  base = ['--config', config, '--api-url', emu.apiUrl]
}, 120_000)

afterAll(() => emu?.close())

describe('a remote name too long for the local file system', () => {
  it('get names the file and the limit', async () => {
    const r = await cli([...base, 'get', `/box/${LONG}`, dir])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`cannot save "${join(dir, LONG)}" locally: its name is 300 bytes long`)
    expect(r.stderr).toContain('allows 255 bytes per name')
  })

  it('get -r downloads the others and lists the failure at the end', async () => {
    const into = join(dir, 'copy')
    const r = await cli([...base, 'get', '-r', '-q', '/box', into])
    expect(r.code).toBe(1)
    expect(await readFile(join(into, 'a.txt'), 'utf8')).toBe('first\n')
    expect(await readFile(join(into, 'z.txt'), 'utf8')).toBe('last\n')
    const lines = r.stderr.trim().split('\n')
    expect(lines).toContain('2 downloaded, 0 already up to date, 1 failed (of 3 files)')
    expect(r.stderr).toMatch(new RegExp(`failed: ${LONG}: cannot save ".*" locally: its name is 300 bytes long`))
  })
})
