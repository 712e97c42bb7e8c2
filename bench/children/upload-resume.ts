/**
 * One `fromFile` upload with a session store in a state folder (the CLI's store). With `killAtShare`, the process
 * SIGKILLs itself as soon as the store has recorded that share of the parts as stored — a real `kill -9` mid-upload,
 * leaving the record and the reservation behind. Without it, the upload runs to the end (resuming if it can).
 */
import { UploadStateDir } from '../../src/cli/upload-state-dir.js'
import { fromFile, type UploadSessionRecord } from '../../src/index.js'
import { ourDriver } from '../lib/drivers.js'
import type { EmuInfo } from '../lib/emulator-proc.js'
import { childMain } from '../lib/proc.js'

interface Arg {
  info: EmuInfo
  refreshToken: string
  file: string
  stateDir?: string
  killAtShare?: number
}

childMain(async ({ info, refreshToken, file, stateDir, killAtShare }: Arg) => {
  const driver = ourDriver(info, refreshToken, { rapid_upload: false })
  await driver.init()
  const dir = stateDir ? await UploadStateDir.open(stateDir) : undefined
  const sessions = dir && {
    maxAgeMs: dir.maxAgeMs,
    load: (key: string) => dir.load(key),
    delete: (key: string) => dir.delete(key),
    save: async (r: UploadSessionRecord) => {
      await dir.save(r)
      if (killAtShare !== undefined && r.partsDone.length >= Math.ceil(r.partCount * killAtShare))
        process.kill(process.pid, 'SIGKILL')
    },
  }
  let resumedAt = 0
  const obj = await driver.upload(driver.getRoot(), fromFile(file), {
    ...(sessions ? { sessions } : {}),
    onResume: (r) => (resumedAt = r.bytesDone),
  })
  await driver.drop()
  return { size: obj.size, sha1: obj.hashes.sha1, resumedAt }
})
