/**
 * Found by the soak: with `storageDir`, a part PUT that the emulator drops (injected part failure, or a client that
 * went away) destroyed its file stream while a write was still in flight; the stream then emitted an error nobody
 * listened to — an uncaught exception that kills a standalone emulator process. Fixed in
 * src/emulator/data-plane/upload-put.ts (the sink listens for its stream's errors).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AliyundriveOpen } from '../../src/driver/aliyundrive-open.js'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { isDriverError } from '../../src/errors/index.js'
import { fromBuffer } from '../../src/upload/index.js'

let dir: string
let emu: EmulatorHandle
const uncaught: unknown[] = []
const onUncaught = (e: unknown) => void uncaught.push(e)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ado-part-fail-'))
  emu = await startEmulator({ port: 0, limits: false, storageDir: dir, faults: { seed: 3, partFailRate: 1 } })
  process.on('uncaughtException', onUncaught)
})
afterAll(async () => {
  process.off('uncaughtException', onUncaught)
  await emu?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('emulator with storageDir: dropped parts', () => {
  it('every part failing is a typed upload error, no uncaught exception, no part file left behind', async () => {
    const driver = new AliyundriveOpen(
      emu.driverConfig(),
      { apiBaseUrl: emu.apiUrl },
      { retry: { minDelayMs: 5, maxDelayMs: 20 }, partSizeOverride: 256 * 1024 },
    )
    await driver.init()
    for (let i = 0; i < 3; i++) {
      const bytes = Buffer.alloc(1024 * 1024, i + 1)
      // The first part PUT fails at once; the driver's back-off before its retry is 1 s: abort in between.
      const signal = AbortSignal.timeout(400)
      const e = await driver.upload(driver.getRoot(), fromBuffer(bytes, `f${i}.bin`), { signal }).then(
        () => undefined,
        (err: unknown) => err,
      )
      expect(isDriverError(e), String(e)).toBe(true)
    }
    expect(emu.stats().partPuts).toBeGreaterThanOrEqual(3)
    await driver.drop()
    // Let any late stream callback fire before looking.
    await new Promise((r) => setTimeout(r, 200))
    expect(uncaught).toEqual([])
    const leftovers = (await readdir(dir, { recursive: true })).filter((n) => String(n).endsWith('.part'))
    expect(leftovers).toEqual([])
  })
})
