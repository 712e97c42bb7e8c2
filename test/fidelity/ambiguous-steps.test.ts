/**
 * Steps whose repeat or answer is ambiguous: a `complete` repeated after a lost answer that then errors, a rename
 * whose answer does not show the rename, and the first page of listUploadedParts.
 */
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import { AliyundriveOpen } from '../../src/driver/aliyundrive-open.js'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import type { Obj } from '../../src/host/types.js'
import { fromBuffer, uploadToFolder } from '../../src/upload/index.js'
import { listStoredParts } from '../../src/upload/part-urls.js'
import { API, DRIVE, P, nockDriver, wireFile } from '../helpers/nock-driver.js'
import { useNock } from '../helpers/nock-setup.js'
import {
  OSS,
  completedFile,
  createReply,
  nockDeps,
  API as UPLOAD_API,
  DRIVE as UPLOAD_DRIVE,
  P as UP,
} from '../helpers/nock-upload.js'

useNock()

let emu: EmulatorHandle | undefined
let driver: AliyundriveOpen | undefined
afterEach(async () => {
  await driver?.drop()
  await emu?.close()
  emu = undefined
  driver = undefined
})

const COMPLETE = '/adrive/v1.0/openFile/complete'

async function emulatorDriver(faults: Parameters<EmulatorHandle['setFaults']>[0]) {
  emu = await startEmulator({ limits: false })
  driver = new AliyundriveOpen(
    emu.driverConfig(),
    { apiBaseUrl: emu.apiUrl },
    { retry: { minDelayMs: 1, maxDelayMs: 5 } },
  )
  await driver.init()
  emu.setFaults(faults)
  return { emu, driver }
}

describe('complete after a lost answer, when the repeat errors', () => {
  it('reads the reservation by id and keeps a file whose size and SHA-1 match the source', async () => {
    const { emu, driver } = await emulatorDriver({
      lostAnswerRate: 1,
      lostAnswerPaths: [COMPLETE],
      repeatedCompleteFails: true,
    })
    const bytes = Buffer.from('finished before the answer was lost')
    const obj = await driver.upload(driver.getRoot(), fromBuffer(bytes, 'kept.txt'))
    expect(obj).toMatchObject({ name: 'kept.txt', size: bytes.length })
    emu.setFaults({})
    expect(await emu.readFile('resource', '/kept.txt')).toEqual(bytes)
    expect(emu.stats().calls[COMPLETE]).toBe(2)
  })

  it('still fails, and removes the reservation, when the read-back does not match', async () => {
    const { deps } = nockDeps()
    const bytes = Buffer.from('abc')
    nock(UPLOAD_API).post(UP('create')).reply(200, createReply('res1', 1))
    nock(OSS)
      .put(/\/up\/res1/)
      .reply(200, '', { etag: '"e"' })
    nock(UPLOAD_API)
      .post(UP('complete'))
      .reply(400, { code: 'NotFound.UploadId', message: 'The upload id cannot be found' })
    nock(UPLOAD_API)
      .post(UP('get'))
      .reply(200, completedFile('res1', 3, '0000000000000000000000000000000000000000'))
    const removal = nock(UPLOAD_API)
      .post(UP('delete'), (b) => b.file_id === 'res1')
      .reply(200, {})
    await expect(uploadToFolder(deps, 'root', fromBuffer(bytes, 'x.txt'))).rejects.toMatchObject({
      apiCode: 'NotFound.UploadId',
    })
    expect(removal.isDone()).toBe(true)
  })
})

describe('rename', () => {
  const obj: Obj = {
    id: 'mine',
    path: '/a.txt',
    name: 'a.txt',
    size: 10,
    isFolder: false,
    modified: new Date(0),
    created: new Date(0),
    hashes: {},
  }

  it('an answer describing the holder of the name (exist) is not a rename', async () => {
    const d = await nockDriver()
    // rename looks the name up in the folder first (src/driver/rename-steps.ts); here it is free.
    nock(API)
      .post(P('openFile/list'))
      .reply(200, { items: [wireFile('mine', 'a.txt')], next_marker: '' })
    nock(API)
      .post(P('openFile/update'))
      .reply(200, { ...wireFile('theirs', 'b.txt'), exist: true })
    await expect(d.rename(obj, 'b.txt')).rejects.toMatchObject({ code: 'ALREADY_EXISTS' })
    await d.drop()
  })

  it('an answer with the old name is not a rename', async () => {
    const d = await nockDriver()
    // rename looks the name up in the folder first (src/driver/rename-steps.ts); here it is free.
    nock(API)
      .post(P('openFile/list'))
      .reply(200, { items: [wireFile('mine', 'a.txt')], next_marker: '' })
    nock(API).post(P('openFile/update')).reply(200, wireFile('mine', 'a.txt'))
    await expect(d.rename(obj, 'b.txt')).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
      message: expect.stringMatching(/was not renamed/),
    })
    await d.drop()
  })

  it('an answer with some other name is not reported as done either', async () => {
    const d = await nockDriver()
    // rename looks the name up in the folder first (src/driver/rename-steps.ts); here it is free.
    nock(API)
      .post(P('openFile/list'))
      .reply(200, { items: [wireFile('mine', 'a.txt')], next_marker: '' })
    nock(API).post(P('openFile/update')).reply(200, wireFile('mine', 'b(1).txt'))
    await expect(d.rename(obj, 'b.txt')).rejects.toMatchObject({
      code: 'UPSTREAM',
      message: expect.stringMatching(/not reported as done/),
    })
    await d.drop()
  })

  it('the answer showing our file under the new name is the rename', async () => {
    const d = await nockDriver()
    nock(API)
      .post(P('openFile/list'))
      .reply(200, { items: [wireFile('mine', 'a.txt')], next_marker: '' })
    nock(API)
      .post(P('openFile/update'), { drive_id: DRIVE, file_id: 'mine', name: 'b.txt', check_name_mode: 'refuse' })
      .reply(200, wireFile('mine', 'b.txt'))
    await expect(d.rename(obj, 'b.txt')).resolves.toMatchObject({ id: 'mine', path: '/b.txt' })
    await d.drop()
  })
})

describe('listUploadedParts', () => {
  it('sends no part_number_marker on the first page, and the marker on the next', async () => {
    const { deps } = nockDeps()
    const bodies: Array<Record<string, unknown>> = []
    nock(UPLOAD_API)
      .post(UP('listUploadedParts'), (b) => {
        bodies.push(b)
        return true
      })
      .reply(200, { uploaded_parts: [{ part_number: 1, etag: 'e' }], next_part_number_marker: '1' })
    nock(UPLOAD_API)
      .post(UP('listUploadedParts'), (b) => {
        bodies.push(b)
        return true
      })
      .reply(200, { uploaded_parts: [{ part_number: '2', etag: 'e' }], next_part_number_marker: '' })
    const parts = await listStoredParts(deps.port, { driveId: UPLOAD_DRIVE, fileId: 'f', uploadId: 'u' })
    expect([...parts]).toEqual([1, 2])
    expect(bodies[0]).not.toHaveProperty('part_number_marker')
    expect(bodies[1]).toMatchObject({ part_number_marker: '1' })
  })
})
