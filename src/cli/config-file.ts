/**
 * The `--config FILE`: an OpenList AliyundriveOpen `addition` (JSON object), or a whole OpenList storage row whose
 * `addition` is a JSON string (or object). Token rotations are written back in the same shape, touching only the keys
 * whose values changed, atomically (src/persist/atomic-write.ts) and under the file's lock
 * (src/persist/config-file-lock.ts): `serve` and CLI commands run side by side on one file, and each must rotate from,
 * and write over, the latest tokens in it.
 */
import { readFile } from 'node:fs/promises'
import { isNewerRefreshToken } from '../auth/jwt.js'
import { parseConfig, type DriverConfig } from '../config/index.js'
import { DriverError } from '../errors/index.js'
import {
  readConfigDocument,
  updateConfigFile,
  withConfigFileLock,
  type LockOptions,
} from '../persist/config-file-lock.js'
import { recoverStaleTempFiles } from './stale-temp-files.js'

type Json = Record<string, unknown>

export class ConfigFile {
  private baseline: DriverConfig

  private constructor(
    readonly path: string,
    private readonly initial: Json,
    private readonly lockOptions: LockOptions,
  ) {
    // A user's file: a misspelt key is pointed at, not dropped (parse-config.ts).
    this.baseline = parseConfig(initial, { unknownKeys: 'typos' })
  }

  static async load(path: string, lockOptions: LockOptions = {}): Promise<ConfigFile> {
    try {
      await recoverStaleTempFiles(path, await readFile(path, 'utf8'))
    } catch {
      /* unreadable: readConfigDocument reports it */
    }
    const { addition } = await readConfigDocument(path)
    return new ConfigFile(path, addition, lockOptions)
  }

  /** The addition object as the driver should receive it (as it was loaded). */
  addition(): Json {
    return structuredClone(this.initial)
  }

  get config(): DriverConfig {
    return this.baseline
  }

  /** The host's `loadConfig`: the config as the file holds it now (another process may have rotated the tokens). */
  async read(): Promise<DriverConfig> {
    const { addition } = await readConfigDocument(this.path)
    try {
      return parseConfig(addition)
    } catch (e) {
      throw new DriverError(
        'INVALID_CONFIG',
        `the config file ${this.path} no longer holds a valid config: ${(e as Error).message}`,
      )
    }
  }

  /** The host's `withTokenLock`: runs `fn` holding the file's lock (shared with every process using the file). */
  withLock<T>(fn: () => Promise<T>): Promise<T> {
    return withConfigFileLock(this.path, fn, this.lockOptions)
  }

  /**
   * saveConfig for the driver host. Writes are serialised by the file's lock alone: a save inside a locked rotation
   * goes ahead at once (re-entrant), and one from outside waits for the lock. An in-process queue in front of it
   * would deadlock when a save queued before the rotation's own save waits for the lock the rotation holds.
   */
  save(config: DriverConfig): Promise<void> {
    return this.write(config)
  }

  private async write(config: DriverConfig): Promise<void> {
    if (!Object.entries(config).some(([key, value]) => this.baseline[key as keyof DriverConfig] !== value)) return
    await updateConfigFile(
      this.path,
      (addition) => {
        const keepTokens = holdsNewerRefreshToken(addition, config)
        let changed = false
        for (const [key, value] of Object.entries(config) as Array<[keyof DriverConfig, unknown]>) {
          if (this.baseline[key] === value || addition[key] === value) continue
          if (keepTokens && (key === 'refresh_token' || key === 'AccessToken')) continue
          addition[key] = value
          if (key === 'AccessToken' && 'access_token' in addition) addition.access_token = value
          changed = true
        }
        return changed
      },
      this.lockOptions,
    )
    this.baseline = { ...config }
  }
}

/**
 * Whether the file already holds a refresh token issued after the one being saved: another process rotated past it,
 * and writing ours back would replace a live token with a consumed one. The file only moves forward.
 */
function holdsNewerRefreshToken(addition: Json, config: DriverConfig): boolean {
  const persisted = typeof addition.refresh_token === 'string' ? addition.refresh_token : undefined
  return isNewerRefreshToken(persisted, config.refresh_token)
}
