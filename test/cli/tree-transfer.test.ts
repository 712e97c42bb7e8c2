/**
 * `put -r` and `get -r`: a tree of 500 files in nested folders goes up and comes back with every SHA-1 equal; a second
 * `put -r` transfers nothing; failed files do not stop the others and are all reported (non-zero exit); and with the
 * service's real rate limits on both sides a folder transfer gets no 429.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { cli } from '../helpers/cli.js'
import { sumsOf } from '../helpers/tree-sums.js'

let dir: string
const emus: EmulatorHandle[] = []
// The client's limits raised for the emulator without limits: 500 links at AliyunDrive's 1/s would take 9 minutes.
const FAST = { ALIYUNDRIVE_OPEN_RATE_LIMITS: 'list=500,link=500,other=500' }

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ado-tree-'))
}, 120_000)

afterAll(async () => {
  for (const e of emus) await e.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

async function setup(name: string, limits: boolean) {
  const emu = await startEmulator({ port: 0, ...(limits ? {} : { limits: false as const }) })
  emus.push(emu)
  const config = join(dir, `${name}.json`)
  await writeFile(config, JSON.stringify(emu.driverConfig({ drive_type: 'resource' })))
  return { emu, base: ['--config', config, '--api-url', emu.apiUrl] }
}

/** `count` files of 0..3000 random bytes spread over nested folders; returns relative path → SHA-1. */
function makeTree(root: string, count: number): Map<string, string> {
  const sums = new Map<string, string>()
  for (let i = 0; i < count; i++) {
    const folder = join(root, `d${i % 5}`, `e${i % 4}`, ...(i % 3 === 0 ? ['f'] : []))
    mkdirSync(folder, { recursive: true })
    const bytes = randomBytes(i % 7 === 0 ? 0 : (i * 37) % 3000)
    const path = join(folder, `file-${i}.bin`)
    writeFileSync(path, bytes)
    sums.set(relative(root, path).split(sep).join('/'), createHash('sha1').update(bytes).digest('hex'))
  }
  return sums
}

describe('folder transfers', () => {
  it('put -r of 500 files, get -r into an empty folder: every SHA-1 equal; a second put -r transfers nothing', async () => {
    const { emu, base } = await setup('big', false)
    const src = join(dir, 'src')
    const sums = makeTree(src, 500)
    const up = await cli([...base, 'put', '-r', src, '/backup/tree'], { env: FAST })
    expect(up.code, up.stderr.slice(-2000)).toBe(0)
    expect(up.stderr).toContain('500 uploaded, 0 already up to date, 0 failed (of 500 files)')
    // Files upload three at once (put -r --parallel), so any of them may be the last to finish.
    expect(up.stderr).toMatch(/\[500\/500 files, .+\/s, ETA .+\] d\d\/e\d\/(f\/)?file-\d+\.bin uploaded/)

    const out = join(dir, 'out')
    mkdirSync(out)
    const down = await cli([...base, 'get', '-r', '/backup/tree', out], { env: FAST })
    expect(down.code, down.stderr.slice(-2000)).toBe(0)
    expect(sumsOf(out)).toEqual(sums)

    emu.resetStats()
    const again = await cli([...base, '--json', 'put', '-r', src, '/backup/tree'], { env: FAST })
    expect(again.code, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ files: 500, uploaded: 0, skipped: 500, failed: [] })
    expect(emu.stats().calls['/adrive/v1.0/openFile/create']).toBeUndefined()
    expect(emu.stats().partPuts).toBe(0)

    // get -r into the filled folder downloads nothing either.
    emu.resetStats()
    const down2 = await cli([...base, '--json', 'get', '-r', '/backup/tree', out], { env: FAST })
    expect(JSON.parse(down2.stdout)).toMatchObject({ files: 500, downloaded: 0, skipped: 500 })
    expect(emu.stats().downloads).toBe(0)
  }, 300_000)

  it('goes on past failed files, reports each one and exits non-zero', async () => {
    const { emu, base } = await setup('fail', false)
    const src = join(dir, 'src-fail')
    mkdirSync(join(src, 'sub'), { recursive: true })
    writeFileSync(join(src, 'a.txt'), 'a')
    writeFileSync(join(src, 'clash.txt'), 'a file where the remote has a folder')
    writeFileSync(join(src, 'back\\slash.txt'), 'a name AliyunDrive refuses')
    writeFileSync(join(src, 'sub', 'z.txt'), 'z')
    expect((await cli([...base, 'mkdir', '/t/clash.txt'])).code).toBe(0)
    const r = await cli([...base, 'put', '-r', src, '/t'], { env: FAST })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('2 uploaded, 0 already up to date, 2 failed (of 4 files)')
    expect(r.stderr).toMatch(/failed: back\\slash\.txt: .*"\\"/)
    expect(r.stderr).toMatch(/failed: clash\.txt: .*folder/)
    expect(emu.findByPath('resource', '/t/a.txt')).toBeDefined()
    expect(emu.findByPath('resource', '/t/sub/z.txt')).toBeDefined()
  }, 120_000)

  it('with the real rate limits on both sides, a folder goes up and down without a single 429', async () => {
    const { emu, base } = await setup('limited', true)
    const src = join(dir, 'src-limited')
    const sums = makeTree(src, 15)
    expect((await cli([...base, 'put', '-r', '-q', src, '/lim'])).code).toBe(0)
    const out = join(dir, 'out-limited')
    const down = await cli([...base, 'get', '-r', '-q', '/lim', out])
    expect(down.code, down.stderr).toBe(0)
    expect(sumsOf(out)).toEqual(sums)
    expect(emu.stats().rateLimited).toBe(0)
    expect(emu.stats().statuses[429]).toBeUndefined()
  }, 120_000)
})
