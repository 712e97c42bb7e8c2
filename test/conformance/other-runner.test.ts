/**
 * `aliyundrive-open/testing` as a host on another test runner uses it: the built package (dist/, reached through
 * package.json `exports` by the package's own name), its cases registered with node:test's describe/it/before/after,
 * run against the emulator, in a process where vitest cannot be loaded (a suite that imported it would fail there).
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { run } from '../helpers/interop-tools.js'
import { ROOT } from '../helpers/cli.js'

// Inside the repo, so that `aliyundrive-open/...` resolves to this package itself (Node's package self-reference).
const script = join(ROOT, 'test', '.tmp', `node-test-runner-${randomBytes(4).toString('hex')}.mjs`)
afterAll(() => rm(script, { force: true }))

// A host without vitest: a resolve hook makes every import of it fail, as it would where it is not installed.
const NO_VITEST = `export async function resolve(specifier, context, next) {
  if (/^(vitest|@vitest\\/)/.test(specifier)) throw new Error('vitest is not installed in this host: ' + specifier)
  return next(specifier, context)
}`

const SOURCE = `
import { register } from 'node:module'
import { after, before, describe, it } from 'node:test'
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(NO_VITEST)}))
const { AliyundriveOpen, DRIVER_PROPS } = await import('aliyundrive-open')
const { demoSeed, startEmulator } = await import('aliyundrive-open/emulator')
const { conformanceSuite } = await import('aliyundrive-open/testing')

let emu
before(async () => {
  emu = await startEmulator({ limits: false, seed: demoSeed() })
})
after(async () => {
  await emu?.close()
})
// No permanentRemoveOverrides, videoPath, livpPath or emulator knobs: those five cases are skipped.
conformanceSuite(
  {
    name: 'node:test',
    capabilities: DRIVER_PROPS.capabilities,
    makeDriver: (overrides = {}) => new AliyundriveOpen(emu.driverConfig(overrides), { apiBaseUrl: emu.apiUrl }),
    bigFolderPath: '/Many',
  },
  { describe, it, beforeAll: before, afterAll: after },
)
`

describe('aliyundrive-open/testing from the built package', () => {
  it('is built with its declarations and runs under node:test: 10 cases pass, 5 are skipped', async () => {
    expect(existsSync(join(ROOT, 'dist', 'testing', 'index.js'))).toBe(true)
    expect(existsSync(join(ROOT, 'dist', 'testing', 'index.d.ts'))).toBe(true)
    await mkdir(join(ROOT, 'test', '.tmp'), { recursive: true })
    await writeFile(script, SOURCE)
    const r = await run(process.execPath, ['--test', '--test-reporter=tap', script], { cwd: ROOT, timeoutMs: 120_000 })
    const count = (what: string) => Number(new RegExp(`^# ${what} (\\d+)$`, 'm').exec(r.stdout)?.[1])
    expect({ fail: count('fail'), pass: count('pass'), skipped: count('skipped') }, r.stdout + r.stderr).toEqual({
      fail: 0,
      pass: 10,
      skipped: 5,
    })
    expect(r.code).toBe(0)
  }, 180_000)
})
