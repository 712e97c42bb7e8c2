/**
 * One emulator account's resource and backup drives, each behind our driver, mounted at `/res` and `/bak` in one
 * MountTable as `serve --storages` mounts two storages: the set-up of the benches that copy between storages.
 */
import type { AliyundriveOpen } from '../../src/index.js'
import { DriveFsService } from '../../src/server/fs-service.js'
import { MountTable } from '../../src/server/mount-table.js'
import { ourDriver } from './drivers.js'
import type { EmulatorProc } from './emulator-proc.js'

export interface TwoMounts {
  res: AliyundriveOpen
  bak: AliyundriveOpen
  table: MountTable
  /** Drops both drivers (the emulator is the caller's). */
  close(): Promise<void>
}

export async function mountResourceAndBackup(emu: EmulatorProc): Promise<TwoMounts> {
  const res = ourDriver(emu.info, await emu.refreshToken(), { drive_type: 'resource' })
  const bak = ourDriver(emu.info, await emu.refreshToken(), { drive_type: 'backup' })
  const close = async () => {
    await res.drop()
    await bak.drop()
  }
  try {
    await res.init()
    await bak.init()
  } catch (e) {
    await close()
    throw e
  }
  const table = new MountTable([
    { path: '/res', fs: new DriveFsService(res) },
    { path: '/bak', fs: new DriveFsService(bak) },
  ])
  return { res, bak, table, close }
}
