/**
 * A new user with an empty folder: `login`, scan, then `serve --config` of the written file shows the drive. Then
 * `login --mount` twice turns the file into a list of storages that `serve` mounts side by side.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { cli, startLongRunning } from '../helpers/cli.js'
import { SCAN_URL, startLogin } from '../helpers/login.js'

let emu: EmulatorHandle
let dir: string

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    limits: false,
    seed: [
      { path: '/films/a.mkv', content: 'x' },
      { path: '/photos/p.jpg', drive: 'backup', content: 'y' },
    ],
  })
  dir = await mkdtemp(join(tmpdir(), 'ado-newuser-'))
}, 120_000)

afterAll(async () => {
  await emu?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

async function login(args: string[]): Promise<void> {
  const run = startLogin([...args, '--poll-interval', '100'])
  await fetch((await run.waitFor(SCAN_URL))[1]!).then((r) => r.text())
  expect(await run.exit, run.output()).toBe(0)
}

async function listOverApi(serverLine: string, path: string): Promise<string[]> {
  const url = /OpenList API : (http:\/\/\S+)\/api/.exec(serverLine)![1]!
  const token = /API token {4}: (\S+)/.exec(serverLine)![1]!
  const r = await fetch(`${url}/api/fs/list`, {
    method: 'POST',
    headers: { Authorization: token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ path }),
  })
  const body = (await r.json()) as { code: number; message: string; data: { content: Array<{ name: string }> } }
  expect(body.code, body.message).toBe(200)
  return body.data.content.map((o) => o.name).sort()
}

describe('from an empty folder to a served drive', () => {
  it('login, then serve --config of the written file shows the drive', async () => {
    const cfg = join(dir, 'aliyundrive.json')
    await login(['--config', cfg, '--api-url', emu.apiUrl, 'login', '--api-url-address', emu.renewApiUrl])
    const serve = await startLongRunning(
      ['--config', cfg, '--api-url', emu.apiUrl, 'serve', '--port', '0', '--password', 'pw'],
      /Press Ctrl-C/,
    )
    try {
      expect(await listOverApi(serve.output(), '/')).toEqual(['films'])
    } finally {
      await serve.stop()
    }
  }, 60_000)

  it('login --mount twice makes a file of storages; serve mounts both; file commands name the problem', async () => {
    const cfg = join(dir, 'storages.json')
    await login([
      '--config',
      cfg,
      '--api-url',
      emu.apiUrl,
      'login',
      '--api-url-address',
      emu.renewApiUrl,
      '--mount',
      '/ali/resource',
    ])
    await login([
      '--config',
      cfg,
      '--api-url',
      emu.apiUrl,
      'login',
      '--api-url-address',
      emu.renewApiUrl,
      '--mount',
      '/ali/backup',
      '--drive-type',
      'backup',
    ])
    const serve = await startLongRunning(
      ['--config', cfg, '--api-url', emu.apiUrl, 'serve', '--port', '0', '--password', 'pw'],
      /Press Ctrl-C/,
    )
    try {
      expect(serve.output()).toMatch(/storage {6}: \/ali\/resource\n {2}storage {6}: \/ali\/backup\n/)
      expect(await listOverApi(serve.output(), '/')).toEqual(['ali'])
      expect(await listOverApi(serve.output(), '/ali')).toEqual(['backup', 'resource'])
      expect(await listOverApi(serve.output(), '/ali/backup')).toEqual(['photos'])
      expect(await listOverApi(serve.output(), '/ali/resource')).toEqual(['films'])
    } finally {
      await serve.stop()
    }
    const ls = await cli(['--config', cfg, '--api-url', emu.apiUrl, 'ls', '/'])
    expect(ls.code).toBe(2)
    expect(ls.stderr).toContain('lists 2 storages')
  }, 60_000)
})
