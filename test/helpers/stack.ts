/**
 * The one test stack: emulator on loopback → driver (through the plugin descriptor, as serve does) → `serve` on
 * port 0. The server, interop, security, fidelity, reliability and browser tests and the soak all start it here;
 * what differs between them (seed, rate limits, a mounted sub-folder, a fixed server secret, a logger) is an option.
 */
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js'
import type { Logger, RateLimits, StorageDriver } from '../../src/host/types.js'
import { plugin } from '../../src/plugin.js'
import { startServer, type RunningServer, type ServeOptions } from '../../src/server/index.js'

export const USER = 'admin'
export const PASSWORD = 'p@ss w0rd'

export interface Stack {
  emu: EmulatorHandle
  driver: StorageDriver
  server: RunningServer
  port: number
  /** The credentials `serve` was started with, and the matching Basic header. */
  user: string
  password: string
  basic: string
  /** Every value a log line or response must never show (rotated tokens only with `collectSecrets`). */
  secrets: Set<string>
  /** Stable picture of the whole drive (ids, names, hashes, trash state), for before/after comparisons. */
  tree(): string[]
  close(): Promise<void>
}

export interface StackExtras {
  /** Serve this folder of the drive (its id becomes `root_folder_id`) instead of the root; the seed must hold it. */
  mountFolder?: string
  /** Logger for the driver and the server. */
  logger?: Logger
  /** The driver's own request budget per second; default the production 4/1/15 (fuzz and soak lift it for speed). */
  driverLimits?: RateLimits
  /**
   * Give the driver a host `saveConfig` that adds every rotated token to `secrets`. Off by default: the driver then
   * runs without a save hook, so a token rotation takes the same path as before this option existed.
   */
  collectSecrets?: boolean
  /** Driver settings other than the root folder (e.g. `livp_download_format`), given to `emu.driverConfig`. */
  config?: Record<string, unknown>
}

/**
 * Starts the stack. The emulator gets `{ port: 0, limits: false }` under `emuOpts` (pass `limits` for real rate
 * limits); `serve` gets USER/PASSWORD and port 0 under `serveOpts` (pass `credentials` for others).
 */
export async function startStack(
  emuOpts: EmulatorOptions = {},
  serveOpts: Partial<ServeOptions> = {},
  extras: StackExtras = {},
): Promise<Stack> {
  const { mountFolder, logger, driverLimits, collectSecrets, config: settings } = extras
  const emu = await startEmulator({ port: 0, limits: false, ...emuOpts })
  let rootId: string | undefined
  if (mountFolder !== undefined) {
    rootId = emu.findByPath('resource', mountFolder)?.file_id
    if (!rootId) throw new Error(`the seed has no ${mountFolder}`)
  }
  const config = emu.driverConfig({ ...settings, ...(rootId ? { root_folder_id: rootId } : {}) })
  const secrets = new Set<string>([emu.clientSecret, config.refresh_token])
  const driver = plugin.create(config, {
    apiBaseUrl: emu.apiUrl,
    // Every rotated token passes through here: that is how a test learns the secrets to grep for.
    ...(collectSecrets
      ? {
          saveConfig: (c) => {
            if (c.AccessToken) secrets.add(c.AccessToken)
            if (c.refresh_token) secrets.add(c.refresh_token)
          },
        }
      : {}),
    ...(logger ? { logger } : {}),
    ...(driverLimits ? { limits: driverLimits } : {}),
  })
  await driver.init()
  const options: ServeOptions = {
    driver,
    credentials: { user: USER, password: PASSWORD },
    port: 0,
    ...(logger ? { logger } : {}),
    ...serveOpts,
  }
  const server = await startServer(options)
  const { user, password } = options.credentials
  secrets.add(password)
  return {
    emu,
    driver,
    server,
    port: Number(new URL(server.url).port),
    user,
    password,
    basic: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
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

/** The mounted stack's password: mixed case and an `a`, so case and lookalike variants of it differ from it. */
export const MOUNTED_PASSWORD = 'hostile-Test-pa55word'
/** The mounted stack's server secret, fixed so a test can sign links and tokens of its own. */
export const MOUNTED_SECRET = Buffer.from('reliability-test-secret-0123456789abcdef')

export const MOUNTED_SEED = [
  { path: '/outside/secret.txt', content: 'outside the mount' },
  { path: '/mount/a.txt', content: 'hello a' },
  { path: '/mount/dir/b.txt', content: 'hello b' },
  { path: '/mount/big.bin', size: 300_000 },
]

/**
 * The stack the reliability tests attack: the mount is a *sub-folder* of the drive (/mount), with files beside it in
 * /outside. Escaping the mount then has a real target, so "nothing outside the request was touched" is checked on the
 * whole drive tree (`tree()`), not only on what the server can see; every rotated token is collected in `secrets`.
 */
export function startMountedStack(
  emuOpts: EmulatorOptions = {},
  serveOpts: Partial<ServeOptions> = {},
  extras: StackExtras = {},
): Promise<Stack> {
  return startStack(
    { seed: MOUNTED_SEED, ...emuOpts },
    { credentials: { user: USER, password: MOUNTED_PASSWORD }, secret: MOUNTED_SECRET, ...serveOpts },
    { mountFolder: '/mount', collectSecrets: true, ...extras },
  )
}
