/**
 * A remote name too long for the local file system. `get` says which file, how long its name is and
 * the limit (not a raw ENAMETOOLONG); `get -r` goes on with the other files and lists the failure at the end.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli } from '../helpers/cli.js'
import { startCliEmulator, type CliEmulator } from '../helpers/cli-emulator.js'

const LONG = `${'n'.repeat(296)}.txt` // 300 bytes: AliyunDrive takes it, ext4 and APFS do not (255 per name)

let stack: CliEmulator
let dir: string
let base: string[]

beforeAll(async () => {
  stack = await startCliEmulator(
    [
      { path: '/box/a.txt', content: 'first\n' },
      { path: `/box/${LONG}`, content: 'too long a name\n' },
      { path: '/box/z.txt', content: 'last\n' },
    ],
    (e) => e.driverConfig({ drive_type: 'resource' }),
  )
  ;({ dir, base } = stack)
}, 120_000)

afterAll(() => stack?.close())

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
