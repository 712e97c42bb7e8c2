/**
 * File commands on a file of several storages: the global `--mount <mount_path>` picks one (the word `login --mount`
 * uses), opened exactly as `serve` opens each storage of the file (its token rotations written into its own row).
 */
import type { Logger, StorageDriver } from '../host/types.js'
import { normalizePath } from '../paths/mount-path.js'
import { activeRows, type Json } from '../persist/storage-rows.js'
import { UsageError } from './exit-codes.js'
import { openStorages } from './storages-file.js'

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined }

export async function openOneStorage(
  path: string,
  rows: Json[],
  mount: string | undefined,
  apiBaseUrl: string | undefined,
  logger: Logger = quiet,
): Promise<StorageDriver> {
  const active = activeRows(rows)
  const mounts = active.map((r) => r.mountPath)
  const choices = `its storages: ${mounts.join(', ') || '(none enabled)'}`
  if (mount === undefined)
    throw new UsageError(
      `${path} lists ${rows.length} storages; file commands work on one: pick it with --mount <mount_path> (${choices})`,
    )
  const wanted = normalizePath(mount)
  const picked = active.find((r) => r.mountPath === wanted)
  if (!picked) throw new UsageError(`--mount ${mount}: ${path} has no enabled storage there (${choices})`)
  const [opened] = await openStorages(path, [picked.row], apiBaseUrl, logger)
  if (!opened?.driver) throw opened?.error ?? new Error(`storage ${wanted} did not open`)
  return opened.driver
}
