/**
 * The built `aliyundrive-open` binary against the emulator on loopback: file commands with a config file (rotated
 * tokens written back in the same shape), exit codes, JSON output, resumable get, put with progress, serve and
 * emulator start-up.
 */
import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli, startLongRunning } from '../helpers/cli.js'
import { startCliEmulator, type CliEmulator } from '../helpers/cli-emulator.js'

let stack: CliEmulator
let dir: string
let configPath: string
let firstToken: string
let base: string[]

beforeAll(async () => {
  stack = await startCliEmulator(
    [
      { path: '/docs/readme.txt', content: 'hello cli\n' },
      { path: '/docs/big.bin', size: 300_000 },
    ],
    (e) => {
      // A whole OpenList storage row, addition as a JSON string: the shape must survive token write-back.
      const addition = e.driverConfig({ drive_type: 'resource' })
      firstToken = addition.refresh_token
      return { mount_path: '/ali', driver: 'AliyundriveOpen', order: 0, addition: JSON.stringify(addition) }
    },
  )
  ;({ dir, configPath, base } = stack)
}, 120_000)

afterAll(() => stack?.close())

describe('file commands', () => {
  it('ls --json lists, and the rotated refresh token is written back keeping the storage shape', async () => {
    const r = await cli([...base, '--json', 'ls', '/docs'])
    expect(r.code, r.stderr).toBe(0)
    expect((JSON.parse(r.stdout) as Array<{ name: string }>).map((o) => o.name).sort()).toEqual([
      'big.bin',
      'readme.txt',
    ])
    const doc = JSON.parse(await readFile(configPath, 'utf8')) as { mount_path: string; addition: string }
    expect(doc.mount_path).toBe('/ali')
    expect(typeof doc.addition).toBe('string')
    const addition = JSON.parse(doc.addition) as Record<string, string>
    expect(addition.refresh_token).not.toBe(firstToken)
    expect(addition.AccessToken).toMatch(/^eyJ/)
    expect(r.stdout + r.stderr).not.toContain(addition.refresh_token)
    expect((await readFile(configPath, 'utf8')).length).toBeGreaterThan(0)
  })

  it('mkdir, put with progress on stderr, stat, get, resumed get', async () => {
    expect((await cli([...base, 'mkdir', '/up/deep'])).code).toBe(0)
    const local = join(dir, 'payload.bin')
    const bytes = Buffer.alloc(200_000, 7)
    await writeFile(local, bytes)
    const put = await cli([...base, 'put', local, '/up/deep'])
    expect(put.code, put.stderr).toBe(0)
    expect(put.stderr).toMatch(/uploading/)
    const stat = await cli([...base, '--json', 'stat', '/up/deep/payload.bin'])
    expect(JSON.parse(stat.stdout)).toMatchObject({
      size: 200_000,
      sha1: createHash('sha1').update(bytes).digest('hex'),
    })

    const out = join(dir, 'got.bin')
    await writeFile(out, bytes.subarray(0, 50_000)) // a partial earlier download
    const get = await cli([...base, 'get', '/up/deep/payload.bin', out])
    expect(get.code, get.stderr).toBe(0)
    expect((await readFile(out)).equals(bytes)).toBe(true)
  })

  it('mv, cp, rename, rm, link, df', async () => {
    expect((await cli([...base, 'cp', '/docs/readme.txt', '/up'])).code).toBe(0)
    expect((await cli([...base, 'rename', '/up/readme.txt', 'r2.txt'])).code).toBe(0)
    expect((await cli([...base, 'mv', '/up/r2.txt', '/up/deep'])).code).toBe(0)
    const ls = await cli([...base, 'ls', '/up/deep'])
    expect(ls.stdout.split('\n').filter(Boolean).sort()).toEqual(['payload.bin', 'r2.txt'])
    const link = await cli([...base, '--json', 'link', '/up/deep/r2.txt'])
    const { url } = JSON.parse(link.stdout) as { url: string }
    expect(await (await fetch(url)).text()).toBe('hello cli\n')
    expect((await cli([...base, 'rm', '/up/deep/r2.txt'])).code).toBe(0)
    const df = await cli([...base, '--json', 'df'])
    expect(JSON.parse(df.stdout)).toMatchObject({ total: expect.any(Number), used: expect.any(Number) })
  })

  it('exit codes: 3 for NOT_FOUND, 4 for ALREADY_EXISTS, 2 for usage; errors are one line', async () => {
    const missing = await cli([...base, 'stat', '/nope'])
    expect(missing.code).toBe(3)
    expect(missing.stderr.trim().split('\n')).toHaveLength(1)
    expect(missing.stderr).toMatch(/^aliyundrive-open: /)
    const taken = await cli([...base, 'rename', '/docs/readme.txt', 'big.bin'])
    expect(taken.code).toBe(4)
    expect((await cli(['ls'])).code).toBe(2) // no config
    expect((await cli(['frobnicate'])).code).toBe(2)
  })

  it('a bad config names the problem and exits 12 without echoing secrets', async () => {
    const bad = join(dir, 'bad.json')
    await writeFile(bad, JSON.stringify({ refresh_token: '', use_online_api: false, client_secret: 'sekrit-value' }))
    const r = await cli(['--config', bad, 'ls'])
    expect(r.code).toBe(12)
    expect(r.stderr).toMatch(/refresh_token/)
    expect(r.stderr).not.toContain('sekrit-value')
  })
})

describe('long-running commands', () => {
  it('serve with no config mounts the demo emulator and prints URLs and credentials', async () => {
    const p = await startLongRunning(['serve', '--port', '0'], /Press Ctrl-C/)
    const out = p.output()
    const url = /OpenList API : (http:\/\/\S+)\/api/.exec(out)?.[1]
    const token = /API token\s+: (\S+)/.exec(out)?.[1]
    const example = /example link : (\S+)/.exec(out)?.[1]
    expect(url && token && example, out).toBeTruthy()
    const me = await fetch(`${url}/api/me`, { headers: { Authorization: token! } })
    expect(((await me.json()) as { code: number }).code).toBe(200)
    expect((await fetch(example!)).status).toBe(200)
    expect(await p.stop()).toBe(0)
  }, 40_000)

  it('serve --config keeps its secret and generated password across restarts, so raw_url and token stay valid', async () => {
    const first = await startLongRunning([...base, 'serve', '--port', '0'], /Press Ctrl-C/)
    const token1 = /API token\s+: (\S+)/.exec(first.output())?.[1]
    const password = /password\s+: (\S+)/.exec(first.output())?.[1]
    const url1 = /OpenList API : (http:\/\/\S+)\/api/.exec(first.output())?.[1]
    const get = await fetch(`${url1}/api/fs/get`, {
      method: 'POST',
      headers: { Authorization: token1!, 'Content-Type': 'application/json' },
      body: '{"path":"/docs/readme.txt"}',
    })
    const rawUrl = ((await get.json()) as { data: { raw_url: string } }).data.raw_url
    expect(await first.stop()).toBe(0)
    const state = JSON.parse(await readFile(join(dir, '.storage.json.serve-state.json'), 'utf8')) as {
      password: string
    }
    expect(state.password).toBe(password)

    const second = await startLongRunning([...base, 'serve', '--port', '0'], /Press Ctrl-C/)
    const url2 = /OpenList API : (http:\/\/\S+)\/api/.exec(second.output())?.[1]
    expect(url2).toBeDefined()
    // The first process's token is a session signed with the kept secret: the new process accepts it.
    const me2 = await fetch(`${url2}/api/me`, { headers: { Authorization: token1! } })
    expect(((await me2.json()) as { code: number }).code).toBe(200)
    // Same path and sign on the new port: the signature does not depend on the process.
    const again = await fetch(rawUrl.replace(url1!, url2!))
    expect(await again.text()).toBe('hello cli\n')
    expect(await second.stop()).toBe(0)
  }, 60_000)

  it('emulator prints its URL and credentials', async () => {
    const p = await startLongRunning(['emulator', '--port', '0'], /refresh_token/)
    expect(p.output()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/)
    expect(await p.stop()).toBe(0)
  })
})
