/**
 * One account, many processes (RELIABILITY.md, section "One account, many processes"): two `serve` and three CLI
 * loops on ONE config file, with 3-second
 * access tokens on the emulator, so every process rotates the single-use refresh token again and again. Figure: zero
 * failed operations, zero "re-authorize" messages, and the file ends holding a token the emulator accepts.
 * SHARED_CONFIG_SECONDS sets the length (default 20; the figure in RELIABILITY.md is the 60 s run).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { cli, startLongRunning } from '../helpers/cli.js'

const SECONDS = Number(process.env.SHARED_CONFIG_SECONDS ?? 20)
let dir: string
let emu: EmulatorHandle

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ado-shared-config-'))
  emu = await startEmulator({
    port: 0,
    limits: false,
    accessTokenTtlSec: 3,
    seed: [{ path: '/hello.txt', content: 'hi' }],
  })
}, 120_000)
afterAll(async () => {
  await emu?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('one config file, two serve and three CLI loops', () => {
  it(
    `${SECONDS} s of 3-second access tokens: no failed operation, no re-authorize message, a live token at the end`,
    async () => {
      const path = join(dir, 'alipan.json')
      await writeFile(path, JSON.stringify(emu.driverConfig({ custom: 'kept' })), { mode: 0o600 })
      const base = ['--config', path, '--api-url', emu.apiUrl]
      const serveArgs = [
        ...base,
        'serve',
        '--port',
        '0',
        '--password',
        'pw',
        '--secret',
        'shared-config-test-secret',
        '--list-ttl',
        '0',
      ]
      // Two servers on the one config file, started one after the other as before.
      const servers = [
        await startLongRunning(serveArgs, /Press Ctrl-C/, 60_000),
        await startLongRunning(serveArgs, /Press Ctrl-C/, 60_000),
      ]
      const deadline = Date.now() + SECONDS * 1000
      const tally = { serveOk: 0, serveFailed: 0, cliOk: 0, cliFailed: 0 }
      const failures: string[] = []

      const serveLoop = async (output: () => string) => {
        const url = /OpenList API : (http:\/\/\S+)\/api/.exec(output())![1]!
        const token = /API token\s+: (\S+)/.exec(output())![1]!
        while (Date.now() < deadline) {
          const res = await fetch(`${url}/api/fs/list`, {
            method: 'POST',
            headers: { Authorization: token, 'Content-Type': 'application/json' },
            body: '{"path":"/","refresh":true}',
          })
          const body = (await res.json()) as { code: number; message: string }
          if (body.code === 200) tally.serveOk++
          else {
            tally.serveFailed++
            failures.push(`serve: ${body.code} ${body.message}`)
          }
          await new Promise((r) => setTimeout(r, 200))
        }
      }
      const cliLoop = async () => {
        while (Date.now() < deadline) {
          const r = await cli([...base, 'ls', '/'])
          if (r.code === 0 && r.stdout.includes('hello.txt')) tally.cliOk++
          else {
            tally.cliFailed++
            failures.push(`cli exit ${r.code}: ${r.stderr.trim()}`)
          }
        }
      }
      await Promise.all([...servers.map((s) => serveLoop(s.output)), cliLoop(), cliLoop(), cliLoop()])
      const serverOutput = servers.map((s) => s.output()).join('\n')
      for (const s of servers) await s.stop()

      const final = await cli([...base, 'ls', '/'])
      const doc = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
      const reauthorize = [...failures, serverOutput].join('\n').match(/re-authorize/g)?.length ?? 0
      console.log(
        `shared config, ${SECONDS} s: serve ok ${tally.serveOk} failed ${tally.serveFailed}; ` +
          `cli ok ${tally.cliOk} failed ${tally.cliFailed}; ` +
          `re-authorize messages ${reauthorize}; token exchanges ${emu.stats().refreshes}; final ls exit ${final.code}`,
      )
      expect(failures.slice(0, 5)).toEqual([])
      expect(reauthorize).toBe(0)
      expect(tally.serveOk).toBeGreaterThan(0)
      expect(tally.cliOk).toBeGreaterThan(0)
      expect(emu.stats().refreshes, 'the tokens really rotated').toBeGreaterThan(2)
      expect(final.code, final.stderr).toBe(0)
      expect(doc.custom).toBe('kept')
    },
    (SECONDS + 120) * 1000,
  )
})
