/**
 * The CLI checks what it downloads (SHA-1 after every download; resume verified, restarted once), refuses an
 * --api-url without a scheme at once, creates a missing target folder for put, and names its own flags on conflicts.
 */
import { createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { downloadFile } from '../../src/cli/download.js'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import type { Obj, StorageDriver } from '../../src/host/types.js'
import { cli } from '../helpers/cli.js'

let emu: EmulatorHandle
let dir: string
let base: string[]
const content = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz'.repeat(1000))
const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('hex')

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    limits: false,
    seed: [
      { path: '/f.bin', content },
      { path: '/taken.txt', content: 'x' },
    ],
  })
  dir = await mkdtemp(join(tmpdir(), 'ado-cli-checks-'))
  const configPath = join(dir, 'storage.json')
  const addition = emu.driverConfig({ drive_type: 'resource' })
  await writeFile(configPath, JSON.stringify(addition))
  base = ['--config', configPath, '--api-url', emu.apiUrl]
}, 120_000)

afterAll(async () => {
  await emu?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('get checks the SHA-1', () => {
  it('a same-size local file with other bytes is downloaded again, not "done"', async () => {
    const out = join(dir, 'same-size.bin')
    await writeFile(out, Buffer.alloc(content.length, 0x41))
    const r = await cli([...base, 'get', '/f.bin', out])
    expect(r.code, r.stderr).toBe(0)
    expect(sha1(await readFile(out))).toBe(sha1(content))
  })

  it('a same-size local file with the same bytes is skipped, and says so', async () => {
    const out = join(dir, 'identical.bin')
    await writeFile(out, content)
    const r = await cli([...base, 'get', '/f.bin', out])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/already has the same bytes/)
  })

  it('a real prefix is resumed, and the output says so (stderr and --json)', async () => {
    const out = join(dir, 'prefix.bin')
    await writeFile(out, content.subarray(0, 1000))
    const r = await cli([...base, '--json', 'get', '/f.bin', out])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ resumed_from: 1000 })
    await writeFile(out, content.subarray(0, 2000))
    const plain = await cli([...base, 'get', '/f.bin', out])
    expect(plain.stderr).toMatch(/resumed .*prefix\.bin at byte 2000 of 36000/)
    expect(sha1(await readFile(out))).toBe(sha1(content))
  })

  it('a shorter local file that is not a prefix is resumed, fails the check, and is downloaded again from zero', async () => {
    const out = join(dir, 'not-prefix.bin')
    await writeFile(out, Buffer.alloc(1000, 0x5a))
    const r = await cli([...base, 'get', '/f.bin', out])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/did not verify after resuming .*again from the start/)
    expect(sha1(await readFile(out))).toBe(sha1(content))
  })
})

describe('downloadFile when the bytes never match the remote SHA-1', () => {
  it('restarts a resumed download once, then fails', async () => {
    const served: string[] = []
    const server = http.createServer((req, res) => {
      const body = Buffer.from('wrong bytes, same length!')
      const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '')
      served.push(req.headers.range ?? 'full')
      if (range)
        res
          .writeHead(206, { 'Content-Range': `bytes ${range[1]}-${body.length - 1}/${body.length}` })
          .end(body.subarray(Number(range[1])))
      else res.writeHead(200).end(body)
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/f`
    const obj: Obj = {
      id: 'x',
      path: '/x.bin',
      name: 'x.bin',
      size: 25,
      isFolder: false,
      modified: new Date(0),
      created: new Date(0),
      hashes: { sha1: sha1(Buffer.alloc(25, 1)) },
    }
    const fake = { link: async () => ({ url }) } as unknown as StorageDriver
    const out = join(dir, 'never.bin')
    await writeFile(out, 'wrong')
    try {
      await expect(
        downloadFile(fake, obj, out, { resume: true, onProgress: () => {}, say: () => {} }),
      ).rejects.toMatchObject({
        code: 'UPSTREAM',
        message: expect.stringMatching(/does not match the remote file \(SHA-1 .*\) even after starting over/),
      })
      expect(served).toEqual(['bytes=5-', 'full'])
      await writeFile(out, '')
      await expect(
        downloadFile(fake, obj, out, { resume: false, onProgress: () => {}, say: () => {} }),
      ).rejects.toMatchObject({
        message: expect.not.stringMatching(/starting over/),
      })
    } finally {
      server.close()
    }
  })
})

describe('--api-url and put', () => {
  it('--api-url without a scheme is a usage error at once (exit 2), naming the fix', async () => {
    const r = await cli(['--config', join(dir, 'storage.json'), '--api-url', 'localhost:1234', 'ls', '/'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(
      /--api-url must be an http:\/\/ or https:\/\/ URL, got "localhost:1234" \(e\.g\. http:\/\/localhost:1234\)/,
    )
  })

  it('put into a folder that does not exist creates it (with its parents)', async () => {
    const local = join(dir, 'up.txt')
    await writeFile(local, 'hello')
    const r = await cli([...base, 'put', local, '/new/deeper'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/created folder \/new\/deeper/)
    expect((await emu.readFile('resource', '/new/deeper/up.txt')).toString()).toBe('hello')
  })

  it('conflict errors name the CLI flags, not the library option', async () => {
    const local = join(dir, 'taken.txt')
    await writeFile(local, 'y')
    const put = await cli([...base, 'put', '--refuse', local, '/'])
    expect(put.code).toBe(4)
    expect(put.stderr).toMatch(/--overwrite.*--rename/)
    const rename = await cli([...base, 'rename', '/f.bin', 'taken.txt'])
    expect(rename.code).toBe(4)
    expect(rename.stderr).toMatch(/use --overwrite or --rename/)
    expect(rename.stderr).not.toMatch(/conflict "/)
  })
})
