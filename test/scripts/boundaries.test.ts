/**
 * The import-boundary rules in .dependency-cruiser.cjs catch what they claim to: run on a scratch tree with the
 * repo's config, a lower layer importing a higher one, two folders importing each other, and the emulator reaching
 * into client code each fail with the rule's name; a tree that keeps the arrows one-way passes.
 */
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const repo = join(import.meta.dirname, '..', '..')
const depcruise = join(repo, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs')

let dir = ''
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

async function tree(files: Record<string, string>): Promise<void> {
  dir = await mkdtemp(join(tmpdir(), 'boundaries-'))
  await symlink(join(repo, 'node_modules'), join(dir, 'node_modules'))
  const tsconfig = { compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig))
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'scratch', type: 'module' }))
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    await writeFile(join(dir, path), text)
  }
}

async function cruise(): Promise<{ code: number; out: string }> {
  const args = [depcruise, 'src', '--config', join(repo, '.dependency-cruiser.cjs'), '--output-type', 'err']
  try {
    const { stdout } = await run(process.execPath, args, { cwd: dir })
    return { code: 0, out: stdout }
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string }
    return { code: err.code, out: err.stdout + err.stderr }
  }
}

describe('import boundaries', () => {
  it('pass when every import points down the layers', async () => {
    await tree({
      'src/errors/codes.ts': 'export const CODE = 1\n',
      'src/http/client.ts': "import { CODE } from '../errors/codes.js'\nexport const c = CODE\n",
      'src/server/index.ts': "import { c } from '../http/client.js'\nexport const s = c\n",
    })
    const { code, out } = await cruise()
    expect(out).toContain('no dependency violations found')
    expect(code).toBe(0)
  })

  it('fail on a lower layer importing a higher one, naming the rule and the edge', async () => {
    await tree({
      'src/errors/codes.ts': "import { s } from '../server/index.js'\nexport const CODE = s\n",
      'src/server/index.ts': 'export const s = 1\n',
    })
    const { code, out } = await cruise()
    expect(code).not.toBe(0)
    expect(out).toContain('error layer-errors: src/errors/codes.ts → src/server/index.ts')
  })

  it('fail on two folders importing each other, even through type-only imports', async () => {
    await tree({
      'src/config/schema.ts': "import type { Logger } from '../host/types.js'\nexport type Config = { log: Logger }\n",
      'src/host/types.ts': "import type { Config } from '../config/schema.js'\nexport type Logger = { c?: Config }\n",
    })
    const { code, out } = await cruise()
    expect(code).not.toBe(0)
    // host sits below config (the host contract is generic over the config): host → config is the wrong-way edge.
    expect(out).toContain('error layer-host: src/host/types.ts → src/config/schema.ts')
    expect(out).toMatch(/error no-folder-cycle: src\/(host|config)/)
  })

  it('fail when the host contract names the driver config, even by a type-only import; the other way passes', async () => {
    const contract = (config: string) =>
      `${config}export interface DriverHost<Config = unknown> { saveConfig?(config: Config): void }\n`
    await tree({
      'src/config/schema.ts': 'export type DriverConfig = { refresh_token: string }\n',
      'src/host/types.ts': contract(
        "import type { DriverConfig } from '../config/schema.js'\nexport type C = DriverConfig\n",
      ),
    })
    const wrong = await cruise()
    expect(wrong.code).not.toBe(0)
    expect(wrong.out).toContain('error layer-host: src/host/types.ts → src/config/schema.ts')
    await rm(dir, { recursive: true, force: true })

    // The driver side instantiates the contract with its config: config and driver may import host.
    await tree({
      'src/config/schema.ts': 'export type DriverConfig = { refresh_token: string }\n',
      'src/host/types.ts': contract(''),
      'src/driver/host-contract.ts':
        "import type { DriverConfig } from '../config/schema.js'\nimport type * as C from '../host/types.js'\n" +
        'export type DriverHost<Config = DriverConfig> = C.DriverHost<Config>\n',
    })
    const right = await cruise()
    expect(right.out).toContain('no dependency violations found')
    expect(right.code).toBe(0)
  })

  it('fail when the emulator reuses client code', async () => {
    await tree({
      'src/upload/proof.ts': 'export const proof = 1\n',
      'src/emulator/check.ts': "import { proof } from '../upload/proof.js'\nexport const p = proof\n",
    })
    const { code, out } = await cruise()
    expect(code).not.toBe(0)
    expect(out).toContain('error emulator-standalone: src/emulator/check.ts → src/upload/proof.ts')
  })

  it("fail when one of the server's own modules imports a front end; start-server.ts wires them and passes", async () => {
    await tree({
      'src/server/webdav/dav-state.ts': 'export interface DavState { locks: number }\n',
      'src/server/context.ts':
        "import type { DavState } from './webdav/dav-state.js'\nexport interface ServerContext { dav: DavState }\n",
      'src/server/start-server.ts': "import type { DavState } from './webdav/dav-state.js'\nexport type D = DavState\n",
    })
    const { code, out } = await cruise()
    expect(code).not.toBe(0)
    expect(out).toContain('error server-core-below-front-ends: src/server/context.ts → src/server/webdav/dav-state.ts')
    expect(out).not.toContain('src/server/start-server.ts →')
  })

  it("fail when the exported conformance suite reaches past StorageDriver into this package's driver", async () => {
    await tree({
      'src/driver/stats.ts': 'export const stats = 1\n',
      'src/testing/suite.ts': "import { stats } from '../driver/stats.js'\nexport const s = stats\n",
    })
    const { code, out } = await cruise()
    expect(code).not.toBe(0)
    expect(out).toContain('error testing-on-the-interface: src/testing/suite.ts → src/driver/stats.ts')
  })
})
