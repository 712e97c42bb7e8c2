/** `serve` over a file of storages: opens each, builds the mount table, and says which mounted and which did not. */
import { warnIfConfigReadable } from './config-mode-warning.js'
import type { Logger, StorageDriver } from '../host/types.js'
import { DriveFsService } from '../server/fs-service.js'
import { MountTable } from '../server/mount-table.js'
import { mountsOf, openStorages, readStorageRows } from './storages-file.js'

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
  const opened = await openStorages(path, rows, apiBaseUrl, logger)
  const fs = new MountTable(mountsOf(opened, (driver) => new DriveFsService(driver, { listTtlMs })))
  const lines = opened.map((o) =>
    o.driver
      ? `  storage      : ${o.mountPath}`
      : `  storage      : ${o.mountPath}   NOT MOUNTED: ${o.error?.message ?? 'unknown error'}`,
  )
  for (const o of opened) if (o.error) logger.error(`storage ${o.mountPath} failed to mount: ${o.error.message}`)
  return { fs, drivers: opened.flatMap((o) => (o.driver ? [o.driver] : [])), lines }
}
