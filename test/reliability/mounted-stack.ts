/**
 * A serve stack whose mount is a *sub-folder* of the drive (`root_folder_id` = /mount), with files beside it in
 * /outside. Escaping the mount then has a real target, so "nothing outside the request was touched" is checked on
 * the whole drive tree, not only on what the server can see.
 */
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js'
import type { Logger, RateLimits, StorageDriver } from '../../src/host/types.js'
import { plugin } from '../../src/plugin.js'
import { startServer, type RunningServer, type ServeOptions } from '../../src/server/index.js'

export const USER = 'admin'
export const PASSWORD = 'hostile-Test-pa55word'
export const SECRET = Buffer.from('reliability-test-secret-0123456789abcdef')

export const SEED = [
  { path: '/outside/secret.txt', content: 'outside the mount' },
  { path: '/mount/a.txt', content: 'hello a' },
  { path: '/mount/dir/b.txt', content: 'hello b' },
  { path: '/mount/big.bin', size: 300_000 },
]

export interface MountedStack {
  emu: EmulatorHandle
  driver: StorageDriver
  server: RunningServer
  port: number
  basic: string
  /** Every value a log line or response must never show. */
  secrets: Set<string>
  /** Stable picture of the whole drive (ids, names, hashes, trash state), for before/after comparisons. */
  tree(): string[]
  close(): Promise<void>
}

export interface StackExtras {
  logger?: Logger
  /** The driver's own request budget per second; default the production 4/1/15 (fuzz and soak lift it for speed). */
  driverLimits?: RateLimits
}

export async function startMountedStack(
  emuOpts: EmulatorOptions = {},
  serveOpts: Partial<ServeOptions> = {},
  extras: StackExtras = {},
): Promise<MountedStack> {
  const { logger, driverLimits } = extras
  const emu = await startEmulator({ port: 0, limits: false, seed: SEED, ...emuOpts })
  const mount = emu.findByPath('resource', '/mount')
  if (!mount) throw new Error('seed has no /mount')
  const secrets = new Set<string>([emu.clientSecret, PASSWORD])
  const config = emu.driverConfig({ root_folder_id: mount.file_id })
  secrets.add(config.refresh_token)
  const driver = plugin.create(config, {
    apiBaseUrl: emu.apiUrl,
    // Every rotated token passes through here: that is how the test learns the secrets to grep for.
    saveConfig: (c) => {
      if (c.AccessToken) secrets.add(c.AccessToken)
      if (c.refresh_token) secrets.add(c.refresh_token)
    },
    ...(logger ? { logger } : {}),
    ...(driverLimits ? { limits: driverLimits } : {}),
  })
  await driver.init()
  const server = await startServer({
    driver,
    credentials: { user: USER, password: PASSWORD },
    secret: SECRET,
    port: 0,
    ...(logger ? { logger } : {}),
    ...serveOpts,
  })
  return {
    emu,
    driver,
    server,
    port: Number(new URL(server.url).port),
    basic: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`,
    secrets,
    tree: () =>
      emu
        .debugTree('resource')
        .map((e) => `${e.file_id} ${e.path} ${e.type} ${e.size} ${e.content_hash ?? ''} ${e.trashed ? 'trashed' : ''}`),
    async close() {
      await server.close()
      await driver.drop()
      await emu.close()
    },
  }
}

/** A logger that keeps every line, so tests can grep the whole run for secrets. */
export function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  const keep =
    (level: string) =>
    (message: string, ...meta: unknown[]) =>
      void lines.push(`[${level}] ${message} ${meta.length ? JSON.stringify(meta) : ''}`)
  return { lines, debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') }
}

/** The secrets found in `text` (by a short, non-revealing label). */
export function leakedSecrets(text: string, secrets: Iterable<string>): string[] {
  const found: string[] = []
  for (const s of secrets) if (s && text.includes(s)) found.push(`${s.slice(0, 4)}…(${s.length} chars)`)
  return found
}
