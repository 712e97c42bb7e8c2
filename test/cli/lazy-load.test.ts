/**
 * Start-up cost: a command loads only what it uses. `--help` and `--version` must not load the server, the emulator,
 * the web UI files, SQLite, the QR renderer, the zip reader, the upload engine or the driver's HTTP stack; `ls` loads
 * the driver but none of the rest. Every module URL the CLI process resolves is recorded by a resolve hook
 * (test/helpers/record-loads-hooks.mjs) registered with `node --import`, so dynamic imports are seen too.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { run } from '../helpers/interop-tools.js'
import { MAIN, ROOT } from '../helpers/cli.js'

const HOOKS = pathToFileURL(join(ROOT, 'test', 'helpers', 'record-loads-hooks.mjs')).href
const REGISTER = `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(HOOKS)})`

/** What `--help` must never pay for: folders of dist/ and packages. */
const HEAVY_FOLDERS = ['server', 'emulator', 'upload', 'login', 'driver', 'http', 'auth', 'api']
const HEAVY_PACKAGES = ['better-sqlite3', 'qrcode', 'yauzl', 'busboy', 'axios', 'zod', 'proper-lockfile']

let dir: string
let emu: EmulatorHandle

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ado-lazy-'))
  emu = await startEmulator({ port: 0, limits: false, seed: [{ path: '/docs/a.txt', content: 'a\n' }] })
  await writeFile(join(dir, 'cfg.json'), JSON.stringify(emu.driverConfig({ drive_type: 'resource' })))
}, 120_000)

afterAll(async () => {
  await emu?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

async function loadsOf(args: string[], name: string): Promise<{ code: number | null; urls: string[]; out: string }> {
  const file = join(dir, `${name}.loads`)
  await writeFile(file, '')
  // Asynchronous: the emulator the `ls` case talks to runs in this process.
  const r = await run(process.execPath, ['--import', REGISTER, MAIN, ...args], {
    cwd: dir,
    env: { RECORD_LOADS_FILE: file },
    timeoutMs: 60_000,
  })
  const urls = (await readFile(file, 'utf8')).split('\n').filter(Boolean)
  return { code: r.code, urls, out: `${r.stdout}${r.stderr}` }
}

function heavyIn(urls: string[], folders: string[], packages: string[], driverAllowed = false): string[] {
  const dist = pathToFileURL(join(ROOT, 'dist')).href
  return urls.filter(
    (u) =>
      folders.some((f) => u.startsWith(`${dist}/${f}/`)) ||
      packages.some((p) => u.includes(`/node_modules/${p}/`)) ||
      (!driverAllowed && u.endsWith('/dist/plugin.js')) ||
      u.includes('/dist/login/render-qr'),
  )
}

describe('lazy loading of the CLI', () => {
  it('the hook sees the modules a command loads (otherwise the checks below prove nothing)', async () => {
    const r = await loadsOf(['--help'], 'help-sanity')
    expect(r.code, r.out).toBe(0)
    expect(r.urls.some((u) => u.endsWith('/dist/cli/main.js'))).toBe(true)
    expect(r.urls.some((u) => u.includes('/node_modules/commander/'))).toBe(true)
  })

  it('--help and --version load neither the server, the emulator, the driver nor a heavy package', async () => {
    for (const args of [['--help'], ['--version'], ['serve', '--help'], ['get', '--help']]) {
      const r = await loadsOf(args, args.join('_'))
      expect(r.code, r.out).toBe(0)
      expect(heavyIn(r.urls, HEAVY_FOLDERS, HEAVY_PACKAGES), args.join(' ')).toEqual([])
    }
  })

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }
    const r = await loadsOf(['--version'], 'version')
    expect(r.out.trim()).toBe(pkg.version)
  })

  it('ls loads the driver (seen by the hook) but not the server, the emulator, the upload engine or SQLite', async () => {
    const r = await loadsOf(['-c', 'cfg.json', '--api-url', emu.apiUrl, 'ls', '/docs'], 'ls')
    expect(r.code, r.out).toBe(0)
    expect(r.out).toContain('a.txt')
    expect(r.urls.some((u) => u.endsWith('/dist/plugin.js'))).toBe(true)
    expect(
      heavyIn(r.urls, ['server', 'emulator', 'upload'], ['better-sqlite3', 'qrcode', 'yauzl', 'busboy'], true),
    ).toEqual([])
  })
})
