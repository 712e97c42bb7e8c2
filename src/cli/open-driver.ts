/**
 * Builds the driver the CLI commands use, through the plugin descriptor (as any host would), from `--config FILE`
 * with token rotations saved back to that file.
 */
import type { Logger, RateLimits, StorageDriver } from '../host/types.js'
import { plugin } from '../plugin.js'
import { ConfigFile } from './config-file.js'
import { warnIfConfigReadable } from './config-mode-warning.js'
import { UsageError } from './exit-codes.js'
import { checkApiUrl } from './globals.js'
import { openOneStorage } from './one-storage.js'
import { readStorageRows } from './storages-file.js'

export interface DriverOptions {
  config?: string
  apiUrl?: string
  /** In a file of several storages, the mount path of the one to open (the global `--mount`). */
  mount?: string
}

export interface OpenedDriver {
  driver: StorageDriver
}

export async function openDriver(opts: DriverOptions, logger?: Logger): Promise<OpenedDriver> {
  const apiBaseUrl = opts.apiUrl
    ? checkApiUrl(opts.apiUrl, '--api-url')
    : process.env.ALIYUNDRIVE_OPEN_API_URL
      ? checkApiUrl(process.env.ALIYUNDRIVE_OPEN_API_URL, '$ALIYUNDRIVE_OPEN_API_URL')
      : undefined
  const path = opts.config ?? process.env.ALIYUNDRIVE_OPEN_CONFIG
  if (!path) {
    throw new UsageError(
      'this command needs --config FILE (an OpenList AliyundriveOpen addition JSON); `serve` without one mounts the demo emulator',
    )
  }
  const rows = await readStorageRows(path)
  await warnIfConfigReadable(path, logger ?? stderrLogger(false))
  if (rows) return { driver: await openOneStorage(path, rows, opts.mount, apiBaseUrl, logger) }
  if (opts.mount !== undefined)
    throw new UsageError(`--mount ${opts.mount} needs a file of several storages; ${path} holds one storage`)
  const file = await ConfigFile.load(path)
  const limits = rateLimitsFromEnv()
  const driver = plugin.create(file.addition(), {
    ...(limits ? { limits } : {}),
    saveConfig: (c) => file.save(c),
    // `serve` and CLI commands may use the file at once: rotations re-read it and run under its lock.
    loadConfig: () => file.read(),
    withTokenLock: (fn) => file.withLock(fn),
    ...(apiBaseUrl ? { apiBaseUrl } : {}),
    ...(logger ? { logger } : {}),
  })
  await driver.init()
  return { driver }
}

/** A logger to stderr: warnings and errors always, the rest with --debug. Messages are already redacted by the driver. */
export function stderrLogger(debug: boolean): Logger {
  const write = (level: string) => (message: string) => process.stderr.write(`[${level}] ${message}\n`)
  const quiet = () => undefined
  return {
    debug: debug ? write('debug') : quiet,
    info: debug ? write('info') : quiet,
    warn: write('warn'),
    error: write('error'),
  }
}

/**
 * `$ALIYUNDRIVE_OPEN_RATE_LIMITS` ("list=3.9,link=0.9,other=14.9", any subset): the client-side request rates per
 * second. Only for an emulator or a service known to allow more — against AliyunDrive, raising them produces 429s.
 * The folder-transfer tests use it to move 500 files in seconds instead of minutes (links are limited to 1/s).
 */
const RATE_LIMITS_ENV = 'ALIYUNDRIVE_OPEN_RATE_LIMITS'

function rateLimitsFromEnv(value = process.env[RATE_LIMITS_ENV]): Partial<RateLimits> | undefined {
  if (value === undefined || value === '') return undefined
  const limits: Partial<RateLimits> = {}
  for (const item of value.split(',')) {
    const m = /^\s*(list|link|other)\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(item)
    const rate = m ? Number(m[2]) : NaN
    if (!m || !(rate > 0)) {
      throw new UsageError(
        `$${RATE_LIMITS_ENV}: "${item}" is not class=rate (classes list, link, other; rate > 0 per second)`,
      )
    }
    limits[m[1] as keyof RateLimits] = rate
  }
  return limits
}
