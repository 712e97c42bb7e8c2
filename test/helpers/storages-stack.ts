/**
 * The multi-storage stack: emulator on loopback → a storages file in a temp folder → `openMountedStorages` (as
 * `serve --storages` does) → `serve` over the mounted table on port 0, with admin/pw. What differs between the files
 * that start it (the seed, the file's rows, the logger) is an argument; `row` writes a row in the file's own shape.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openMountedStorages, type MountedStorages } from '../../src/cli/serve-storages.js'
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js'
import type { Logger } from '../../src/host/types.js'
import { startServer, type RunningServer } from '../../src/server/index.js'
import { OpenListClient } from './openlist-client.js'

export interface StoragesStack {
  emu: EmulatorHandle
  /** The storages file (mode 0600), which the mounted drivers rewrite as their tokens rotate. */
  path: string
  mounted: MountedStorages
  server: RunningServer
  api: OpenListClient
  /** Basic header for admin/pw. */
  basic: string
  close(): Promise<void>
}

export const QUIET: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
}

/** A row of the storages file: the keys serve reads, the driver settings as OpenList stores them (a JSON string). */
export const row = (mount_path: string, order: number, addition: Record<string, unknown>) => ({
  mount_path,
  order,
  driver: 'AliyundriveOpen',
  remark: '',
  disabled: false,
  addition: JSON.stringify(addition),
})

/** What a test may add to serve's options (accounts, for one): fs, credentials and port are the stack's. */
type ServeExtras = Omit<Parameters<typeof startServer>[0], 'fs' | 'credentials' | 'port'>

/**
 * Starts the emulator with `{ port: 0, limits: false, ...emuOpts }`, writes what `storagesFile(emu)` returns as the
 * storages file, mounts it and serves it.
 */
export async function startStoragesStack(
  emuOpts: EmulatorOptions,
  storagesFile: (emu: EmulatorHandle) => unknown,
  logger: Logger = QUIET,
  serveExtras: ServeExtras = {},
): Promise<StoragesStack> {
  const emu = await startEmulator({ port: 0, limits: false, ...emuOpts })
  const dir = await mkdtemp(join(tmpdir(), 'ado-storages-'))
  const path = join(dir, 'storages.json')
  let mounted: MountedStorages | undefined
  let server: RunningServer | undefined
  const close = async () => {
    await server?.close()
    for (const d of mounted?.drivers ?? []) await d.drop()
    await emu.close()
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await writeFile(path, JSON.stringify(storagesFile(emu)), { mode: 0o600 })
    mounted = await openMountedStorages(path, emu.apiUrl, logger, 0)
    if (!mounted) throw new Error(`no storage mounted from ${path}`)
    server = await startServer({
      ...serveExtras,
      fs: mounted.fs,
      credentials: { user: 'admin', password: 'pw' },
      port: 0,
    })
  } catch (e) {
    await close()
    throw e
  }
  return {
    emu,
    path,
    mounted,
    server,
    api: new OpenListClient(server.url, server.token),
    basic: `Basic ${Buffer.from('admin:pw').toString('base64')}`,
    close,
  }
}
