/**
 * Every option of every command is checked before anything starts, a bad value names the
 * option and the value and exits 2 (also in demo mode, where an emulator once kept the process alive after the
 * error), an explicit `--port` that is taken ends the program naming the port, and `--version` / `-V` print the
 * package's version.
 */
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli, ROOT } from '../helpers/cli.js'

describe('--version', () => {
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
  for (const flag of ['--version', '-V']) {
    it(`${flag} prints the package version`, async () => {
      const r = await cli([flag])
      expect(r.code).toBe(0)
      expect(r.stdout.trim()).toBe(version)
    })
  }
})

describe('a bad option value stops the command, naming the option and the value', () => {
  const cases: Array<[string[], string, string]> = [
    [['serve', '--port', 'abc'], '--port', 'abc'],
    [['serve', '--port', '70000'], '--port', '70000'],
    [['serve', '--link-ttl', '-5'], '--link-ttl', '-5'],
    [['serve', '--list-ttl', '1.5'], '--list-ttl', '1.5'],
    [['serve', '--proxy-concurrency', '0'], '--proxy-concurrency', '0'],
    [['serve', '--public-url', '127.0.0.1:5249'], '--public-url', '127.0.0.1:5249'],
    [['serve', '--public-url', 'ftp://example.com'], '--public-url', 'ftp://example.com'],
    [['serve', '--host', 'not a host'], '--host', 'not a host'],
    [['serve', '--user', ''], '--user', ''],
    [['emulator', '--port', 'x'], '--port', 'x'],
    [['emulator', '--download-url-ttl', 'soon'], '--download-url-ttl', 'soon'],
    [['login', '--drive-type', 'photos'], '--drive-type', 'photos'],
    [['login', '--max-codes', '0'], '--max-codes', '0'],
  ]
  for (const [args, option, value] of cases) {
    it(`${args.join(' ')}`, async () => {
      const r = await cli(args)
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr).toContain(`option '${option} `)
      expect(r.stderr).toContain(`argument '${value}' is invalid`)
      // Nothing started: no banner.
      expect(r.stdout).not.toMatch(/Press Ctrl-C|listening on/)
    }, 30_000)
  }

  it('a global --api-url without a scheme stops serve before the demo starts', async () => {
    const r = await cli(['--api-url', 'localhost:1234', 'serve', '--port', '0'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--api-url must be an http:// or https:// URL, got "localhost:1234"')
    expect(r.stdout).toBe('')
  })
})

describe('an explicit --port that is taken', () => {
  let blocker: Server
  let port: number
  beforeAll(async () => {
    blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    port = (blocker.address() as { port: number }).port
  })
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())))

  // `cli` waits for the process to end: a server left running would hang it until its time-out (code null).
  it('serve (demo mode) exits non-zero naming the port', async () => {
    const r = await cli(['serve', '--port', String(port)])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is taken (--port ${port})`)
    expect(r.stdout).not.toContain('Press Ctrl-C')
  }, 60_000)

  it('emulator exits non-zero naming the port', async () => {
    const r = await cli(['emulator', '--port', String(port)])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is taken (--port ${port})`)
  }, 60_000)
})
