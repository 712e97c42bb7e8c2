/**
 * `login` against the emulator, by each route: the QR URL is printed, a GET of it confirms, the tokens land in the
 * config (created 0600, or updated keeping its shape), and file commands then work with that file. Also: expired
 * codes are replaced then given up on, Ctrl-C exits 130 leaving nothing, and a relay answering 5xx fails clearly.
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withConfigFileLock } from '../../src/persist/config-file-lock.js'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { cli } from '../helpers/cli.js'
import { QR_CODE_URL, SCAN_URL, startLogin } from '../helpers/login.js'

let emu: EmulatorHandle
let dir: string

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    limits: false,
    seed: [
      { path: '/hello.txt', content: 'hi\n' },
      { path: '/b/kept.txt', drive: 'backup', content: 'backup\n' },
    ],
  })
  dir = await mkdtemp(join(tmpdir(), 'ado-login-'))
}, 120_000)

afterAll(async () => {
  await emu?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const fast = ['--poll-interval', '100']
const relay = () => ['--api-url-address', emu.renewApiUrl]

async function scan(url: string): Promise<void> {
  const res = await fetch(url)
  expect(res.status).toBe(200)
  await res.text()
}

function secretsOf(text: string): string[] {
  return [...text.matchAll(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g)].map((m) => m[0])
}

describe('login', () => {
  it('online API (alicloud_qr): prints the QR URL, a GET of it confirms, creates the file 0600, ls works', async () => {
    const path = join(dir, 'new.json')
    const run = startLogin(['--config', path, '--api-url', emu.apiUrl, 'login', ...relay(), ...fast])
    const [, scanUrl] = await run.waitFor(SCAN_URL)
    const [, qrCodeUrl] = await run.waitFor(QR_CODE_URL)
    expect(scanUrl).toBe(`${emu.apiUrl}/o/oauth/authorize?sid=${/sid=(\w+)/.exec(scanUrl!)![1]}`)
    expect(qrCodeUrl).toContain('/oauth/qrcode/')
    expect(run.output()).toContain('\u2584') // the QR code itself, in half blocks
    const qrLines = run
      .output()
      .split('\n')
      .filter((l) => l.includes('\u001b['))
    expect(qrLines.length).toBeGreaterThan(10)
    // The ESC control character is the point: this strips the terminal colour codes the QR code is drawn with.
    // eslint-disable-next-line no-control-regex
    for (const l of qrLines) expect(l.replace(/\u001b\[[0-9;]*m/g, '').length).toBeLessThanOrEqual(80)
    await scan(scanUrl!)
    expect(await run.exit).toBe(0)
    const out = run.output()
    expect(out).toMatch(/Waiting for the scan[\s\S]*Scanned[\s\S]*Confirmed/)
    expect(out).toMatch(/Drives : resource \(\d+\), backup \(\d+\)/)
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    const cfg = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
    expect(cfg).toMatchObject({ use_online_api: true, alipan_type: 'default', api_url_address: emu.renewApiUrl })
    expect(cfg.refresh_token).toMatch(/^eyJ/)
    expect(out).not.toContain(cfg.refresh_token as string)
    expect(out).not.toContain(cfg.AccessToken as string)
    const ls = await cli(['--config', path, '--api-url', emu.apiUrl, 'ls', '/'])
    expect(ls.code, ls.stderr).toBe(0)
    expect(ls.stdout).toContain('hello.txt')
  })

  it('TV app (--tv): a GET of the qrCodeUrl confirms; an existing storage row is updated keeping its shape and keys', async () => {
    const path = join(dir, 'row.json')
    const addition = { refresh_token: 'old', remove_way: 'delete', drive_type: 'resource', order_by: 'name' }
    await writeFile(
      path,
      JSON.stringify({
        mount_path: '/ali',
        driver: 'AliyundriveOpen',
        remark: 'mine',
        addition: JSON.stringify(addition),
      }),
      { mode: 0o640 },
    )
    const run = startLogin(['--config', path, '--api-url', emu.apiUrl, '--json', 'login', '--tv', ...relay(), ...fast])
    const [, qrCodeUrl] = await run.waitFor(QR_CODE_URL)
    await scan(qrCodeUrl!)
    expect(await run.exit).toBe(0)
    const result = JSON.parse(run.stdout()) as { created: boolean; account: { drives: Array<{ type: string }> } }
    expect(result.created).toBe(false)
    expect(result.account.drives.map((d) => d.type)).toEqual(['resource', 'backup', 'default'])
    // A config that holds tokens ends 0600 whatever it was (RELIABILITY.md, "Files on disk").
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    const doc = JSON.parse(await readFile(path, 'utf8')) as { mount_path: string; remark: string; addition: string }
    expect(doc).toMatchObject({ mount_path: '/ali', remark: 'mine' })
    const add = JSON.parse(doc.addition) as Record<string, unknown>
    expect(add).toMatchObject({ remove_way: 'delete', order_by: 'name', use_online_api: true, alipan_type: 'alipanTV' })
    expect(add.refresh_token).not.toBe('old')
    for (const s of secretsOf(run.output())) expect(s).not.toBe(add.refresh_token)
    const ls = await cli(['--config', path, '--api-url', emu.apiUrl, 'ls', '/'])
    expect(ls.code, ls.stderr).toBe(0)
    expect(ls.stdout).toContain('hello.txt')
  })

  it('own app (--client-id/--client-secret): device flow and authorization_code grant; ls works', async () => {
    const path = join(dir, 'app.json')
    const run = startLogin([
      '--config',
      path,
      '--api-url',
      emu.apiUrl,
      'login',
      '--client-id',
      emu.clientId,
      '--client-secret',
      emu.clientSecret,
      '--drive-type',
      'backup',
      ...fast,
    ])
    const [, scanUrl] = await run.waitFor(SCAN_URL)
    await scan(scanUrl!)
    expect(await run.exit).toBe(0)
    const cfg = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
    expect(cfg).toMatchObject({ use_online_api: false, client_id: emu.clientId, drive_type: 'backup' })
    expect(run.output()).not.toContain(emu.clientSecret)
    const ls = await cli(['--config', path, '--api-url', emu.apiUrl, 'ls', '/b'])
    expect(ls.code, ls.stderr).toBe(0)
    expect(ls.stdout).toContain('kept.txt')
  })

  it('--mount adds a storage row to a file of storages, then refreshes that row in place', async () => {
    const path = join(dir, 'storages.json')
    const first = {
      mount_path: '/res',
      driver: 'AliyundriveOpen',
      order: 0,
      addition: JSON.stringify({ refresh_token: 'x', drive_type: 'resource' }),
    }
    await writeFile(path, JSON.stringify({ storages: [first], other: 1 }))
    for (const expectAdded of [true, false]) {
      const run = startLogin([
        '--config',
        path,
        '--api-url',
        emu.apiUrl,
        '--json',
        'login',
        '--mount',
        '/bak',
        '--drive-type',
        'backup',
        ...relay(),
        ...fast,
      ])
      await scan((await run.waitFor(SCAN_URL))[1]!)
      expect(await run.exit).toBe(0)
      expect(JSON.parse(run.stdout())).toMatchObject({ mount_path: '/bak', added: expectAdded })
    }
    const doc = JSON.parse(await readFile(path, 'utf8')) as {
      other: number
      storages: Array<{ mount_path: string; addition: string }>
    }
    expect(doc.other).toBe(1)
    expect(doc.storages.map((s) => s.mount_path)).toEqual(['/res', '/bak'])
    expect(JSON.parse(doc.storages[0]!.addition)).toEqual({ refresh_token: 'x', drive_type: 'resource' })
    expect(typeof doc.storages[1]!.addition).toBe('string')
    expect(JSON.parse(doc.storages[1]!.addition)).toMatchObject({ drive_type: 'backup', use_online_api: true })
  })

  it('writes under the config file lock: a rotation holding it writes first, and the login keeps that write', async () => {
    const path = join(dir, 'locked.json')
    await writeFile(path, `${JSON.stringify({ refresh_token: 'held', remove_way: 'delete' }, null, 2)}\n`)
    const run = startLogin(['--config', path, '--api-url', emu.apiUrl, 'login', ...relay(), ...fast])
    const scanUrl = (await run.waitFor(SCAN_URL))[1]!
    // Stands in for a serve rotating the token: read, confirm the login meanwhile, write — all under the lock.
    await withConfigFileLock(path, async () => {
      const doc = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
      await scan(scanUrl)
      await run.waitFor(/Confirmed\./)
      await writeFile(path, `${JSON.stringify({ ...doc, order_by: 'name' }, null, 2)}\n`)
    })
    expect(await run.exit).toBe(0)
    const cfg = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
    expect(cfg).toMatchObject({ remove_way: 'delete', order_by: 'name', use_online_api: true })
    expect(cfg.refresh_token).toMatch(/^eyJ/)
  })

  it('a file of several storages without --mount is refused before any QR code is shown', async () => {
    const path = join(dir, 'two.json')
    const text = JSON.stringify([
      { mount_path: '/a', addition: '{}' },
      { mount_path: '/b', addition: '{}' },
    ])
    await writeFile(path, text)
    const r = await cli(['--config', path, '--api-url', emu.apiUrl, 'login', ...relay(), ...fast])
    expect(r.code).toBe(12)
    expect(r.stderr).toContain('holds 2 AliyundriveOpen storages; say which one to log in with --mount /path')
    expect(r.stdout).not.toContain('Scan URL')
    expect(await readFile(path, 'utf8')).toBe(text)
  })

  it('expired codes are replaced, then the login gives up with a clear message and writes nothing', async () => {
    const short = await startEmulator({ port: 0, limits: false, qrCodeTtlSec: 1 })
    try {
      const path = join(dir, 'expired.json')
      const run = startLogin([
        '--config',
        path,
        '--api-url',
        short.apiUrl,
        'login',
        '--api-url-address',
        short.renewApiUrl,
        '--max-codes',
        '2',
        '--poll-interval',
        '300',
      ])
      expect(await run.exit).toBe(5)
      expect(run.output()).toMatch(/The QR code expired\.[\s\S]*New QR code \(#2\)[\s\S]*The QR code expired\./)
      expect(run.output()).toContain('2 QR codes expired without being confirmed')
      await expect(stat(path)).rejects.toThrow()
      // The TV relay cannot tell an expired code from a waiting one: the local code lifetime replaces it.
      const tv = startLogin([
        '--config',
        path,
        '--api-url',
        short.apiUrl,
        'login',
        '--tv',
        '--api-url-address',
        short.renewApiUrl,
        '--max-codes',
        '1',
        '--code-lifetime',
        '1',
        '--poll-interval',
        '300',
      ])
      expect(await tv.exit).toBe(5)
      expect(tv.output()).toContain('1 QR codes expired')
    } finally {
      await short.close()
    }
  })

  it('Ctrl-C while waiting exits 130 and leaves nothing behind', async () => {
    const sub = join(dir, 'ctrlc')
    await import('node:fs/promises').then((fs) => fs.mkdir(sub))
    const run = startLogin(['--config', join(sub, 'c.json'), '--api-url', emu.apiUrl, 'login', ...relay(), ...fast])
    await run.waitFor(/Waiting for the scan/)
    run.signal('SIGINT')
    expect(await run.exit).toBe(130)
    expect(run.output()).toContain('login cancelled; nothing was written')
    expect(await readdir(sub)).toEqual([])
  })

  it('a relay answering 5xx fails with a message naming it, and writes nothing', async () => {
    const path = join(dir, 'five.json')
    emu.setFaults({ errorRate: 1 })
    try {
      const r = await cli(['--config', path, '--api-url', emu.apiUrl, 'login', ...relay(), ...fast])
      expect(r.code).toBe(10)
      expect(r.stderr).toMatch(
        /could not start a QR login: HTTP 500 .*4 times in a row; giving up, nothing was written/,
      )
      await expect(stat(path)).rejects.toThrow()
    } finally {
      emu.setFaults({ errorRate: 0 })
    }
  })
})
