/** `serve` over a file of storages: opens each, builds the mount table, and says which mounted and which did not. */
import { warnIfConfigReadable } from './config-mode-warning.js'
import type { Logger, StorageDriver } from '../host/types.js'
import { DriveFsService } from '../server/fs-service.js'
import { MountTable } from '../server/mount-table.js'
import { otherDriverRows, type Json } from '../persist/storage-rows.js'
import { mountsOf, openStorages, readStorageRows } from './storages-file.js'

/** Row keys serve reads (docs/host-notes.md §8); OpenList's other row keys are ignored with a debug line. */
const USED_KEYS = new Set([
  'mount_path',
  'driver',
  'addition',
  'disabled',
  'order',
  'remark',
  'cache_expiration',
  'webdav_policy',
  'web_proxy',
  'down_proxy_url',
  'disable_proxy_sign',
])

/**
 * A row's `cache_expiration` (OpenList: minutes a listing is cached; 0 = not cached) as the listing cache's
 * lifetime; a row without it keeps serve's own setting.
 */
function listTtlOf(row: Json, fallbackMs: number): number {
  const minutes = row.cache_expiration
  return typeof minutes === 'number' && Number.isFinite(minutes) && minutes >= 0 ? minutes * 60_000 : fallbackMs
}

/** OpenList keeps a storage's details (the usage bars) for cache_expiration minutes; a row without it: 5 minutes. */
const DETAILS_TTL_MS = 5 * 60_000

function ignoredKeys(rows: Json[]): string[] {
  const keys = new Set<string>()
  for (const row of rows)
    if (row && typeof row === 'object') for (const k of Object.keys(row)) if (!USED_KEYS.has(k)) keys.add(k)
  return [...keys].sort()
}

export interface MountedStorages {
  fs: MountTable
  drivers: StorageDriver[]
  /** One line per storage for the banner: mounted, or why not. */
  lines: string[]
}

/** undefined when the file holds a single storage (served at / as before). */
export async function openMountedStorages(
  path: string,
  apiBaseUrl: string | undefined,
  logger: Logger,
  listTtlMs: number,
): Promise<MountedStorages | undefined> {
  const rows = await readStorageRows(path)
  if (!rows) return undefined
  await warnIfConfigReadable(path, logger)
  const skipped = otherDriverRows(rows)
  for (const line of skipped) logger.info(line)
  const opened = await openStorages(path, rows, apiBaseUrl, logger)
  const fs = new MountTable(
    mountsOf(
      opened,
      (driver, row) =>
        new DriveFsService(driver, {
          listTtlMs: listTtlOf(row, listTtlMs),
          detailsTtlMs: listTtlOf(row, DETAILS_TTL_MS),
        }),
    ),
  )
  const lines = opened.map((o) => {
    const remark = typeof o.row.remark === 'string' && o.row.remark !== '' ? `   (${o.row.remark})` : ''
    return o.driver
      ? `  storage      : ${o.mountPath}${remark}`
      : `  storage      : ${o.mountPath}${remark}   NOT MOUNTED: ${o.error?.message ?? 'unknown error'}`
  })
  lines.push(...skipped.map((line) => `  storage      : ${line}`))
  for (const key of ignoredKeys(rows)) logger.debug(`storage rows: "${key}" is not used by serve; ignored`)
  for (const o of opened) if (o.error) logger.error(`storage ${o.mountPath} failed to mount: ${o.error.message}`)
  return { fs, drivers: opened.flatMap((o) => (o.driver ? [o.driver] : [])), lines }
}
