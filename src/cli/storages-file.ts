/**
 * `serve --config FILE` where FILE lists several storages: a JSON array of OpenList storage rows, or an object with a
 * `storages` array. One driver per enabled AliyundriveOpen row; rows of one account join one token rotation chain
 * (token-chain.ts), whose every rotation each member writes into its own row — found by mount path, under the
 * config file's lock, keeping the row's addition form and the file's shape. A row whose driver fails to start is
 * still mounted, empty, carrying its error.
 */
import { readFile } from 'node:fs/promises'
import { isNewerRefreshToken } from '../auth/jwt.js'
import { parseConfig, type DriverConfig } from '../config/index.js'
import { activeRows, additionOf, mountPathOf, setAddition, storageRowsOf, type Json } from '../persist/storage-rows.js'
import { DriverError } from '../errors/index.js'
import type { Logger, StorageDriver } from '../host/types.js'
import { rewriteConfigFile } from '../login/config-update.js'
import { withConfigFileLock } from '../persist/config-file-lock.js'
import { rowProxyOf } from '../persist/row-proxy.js'
import { plugin } from '../plugin.js'
import type { Mount } from '../server/mount-table.js'

export interface OpenedStorage {
  mountPath: string
  /** The storage row as the file holds it (its OpenList options: cache_expiration, remark, …). */
  row: Json
  driver?: StorageDriver
  error?: Error
}

/** The file's storages, or undefined when the file holds a single addition or storage row. */
export async function readStorageRows(path: string): Promise<Json[] | undefined> {
  let doc: unknown
  try {
    doc = JSON.parse(await readFile(path, 'utf8'))
  } catch {
    return undefined // ConfigFile.load reports unreadable and invalid files with their own message
  }
  return storageRowsOf(doc)
}

export async function openStorages(
  path: string,
  rows: Json[],
  apiBaseUrl: string | undefined,
  logger: Logger,
): Promise<OpenedStorage[]> {
  const active = activeRows(rows)
  if (active.length === 0) throw new DriverError('INVALID_CONFIG', `${path} lists no enabled AliyundriveOpen storage`)
  // A bad down_proxy_url stops serve before any storage starts (docs/host-notes.md §8.1).
  for (const { row, index, mountPath } of active) rowProxyOf(row, `storage #${index + 1} (${mountPath})`)
  return Promise.all(
    active.map(async ({ row, mountPath }): Promise<OpenedStorage> => {
      let driver: StorageDriver | undefined
      try {
        const config = parseConfig(additionOf(row, `storage ${mountPath}`), { unknownKeys: 'typos' })
        let baseline = { ...config }
        driver = plugin.create(config, {
          saveConfig: async (next) => {
            await saveRow(path, mountPath, baseline, next)
            baseline = { ...next }
          },
          // Other processes (CLI commands, another serve, login) may rotate the same tokens in this file.
          loadConfig: () => readRow(path, mountPath),
          withTokenLock: (fn) => withConfigFileLock(path, fn),
          ...(apiBaseUrl ? { apiBaseUrl } : {}),
          logger,
        })
        await driver.init()
        return { mountPath, row, driver }
      } catch (e) {
        await driver?.drop()
        return { mountPath, row, error: e as Error }
      }
    }),
  )
}

export function mountsOf(
  opened: OpenedStorage[],
  makeFs: (driver: StorageDriver, row: Json) => NonNullable<Mount['fs']>,
): Mount[] {
  return opened.map((o) =>
    o.driver
      ? { path: o.mountPath, fs: makeFs(o.driver, o.row), proxy: rowProxyOf(o.row, `storage ${o.mountPath}`) }
      : { path: o.mountPath, ...(o.error ? { error: o.error } : {}) },
  )
}

/** The row's addition as the file holds it now (undefined when the row is gone). */
async function readRow(path: string, mountPath: string): Promise<Json | undefined> {
  const rows = await readStorageRows(path)
  const row = rows?.find((r, i) => typeof r?.mount_path === 'string' && mountPathOf(r, i) === mountPath)
  return row ? additionOf(row, `storage ${mountPath}`) : undefined
}

/** Writes the keys that changed since `baseline` into the row at `mountPath`, never over a newer refresh token. */
async function saveRow(path: string, mountPath: string, baseline: DriverConfig, next: DriverConfig): Promise<void> {
  await rewriteConfigFile(path, (text) => {
    const doc: unknown = text === undefined ? undefined : JSON.parse(text)
    const rows = storageRowsOf(doc)
    const row = rows?.find((r, i) => typeof r?.mount_path === 'string' && mountPathOf(r, i) === mountPath)
    if (!row)
      throw new DriverError(
        'INVALID_CONFIG',
        `cannot save the rotated token: ${path} no longer has a storage at ${mountPath}`,
      )
    const addition = additionOf(row, `storage ${mountPath}`)
    const keepTokens = isNewer(addition.refresh_token, next.refresh_token)
    for (const [key, value] of Object.entries(next) as Array<[keyof DriverConfig, unknown]>) {
      if (baseline[key] === value || addition[key] === value) continue
      if (keepTokens && (key === 'refresh_token' || key === 'AccessToken')) continue
      addition[key] = value
      if (key === 'AccessToken' && 'access_token' in addition) addition.access_token = value
    }
    setAddition(row, addition)
    return `${JSON.stringify(doc, null, 2)}\n`
  })
}

/** The file holds a refresh token issued after ours: another process rotated past it; the file only moves forward. */
function isNewer(persisted: unknown, ours: string): boolean {
  return typeof persisted === 'string' && isNewerRefreshToken(persisted, ours)
}
