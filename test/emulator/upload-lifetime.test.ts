/**
 * Unfinished uploads in the emulator: they survive a restart of a persistent emulator (parts, running hash and all),
 * and past `uploadSessionTtlSec` they are forgotten with their parts and their reservation.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { call, emulator, putPart, sha1Upper } from '../helpers/emulator.js'

let emu: EmulatorHandle | undefined
let dir = ''
afterEach(async () => {
  await emu?.close()
  emu = undefined
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const partFiles = (root: string) => readdirSync(root, { recursive: true }).filter((n) => String(n).endsWith('.part'))

async function startTwoPartUpload(e: EmulatorHandle, token: string, drive: string) {
  const created = await call(e, token, '/adrive/v1.0/openFile/create', {
    drive_id: drive,
    parent_file_id: 'root',
    name: 'two.bin',
    type: 'file',
    check_name_mode: 'refuse',
    part_info_list: [{ part_number: 1 }, { part_number: 2 }],
  })
  expect(created.status).toBe(200)
  const first = Buffer.alloc(5000, 7)
  expect((await putPart(created.body.part_info_list[0].upload_url, first)).status).toBe(200)
  return { fileId: created.body.file_id as string, uploadId: created.body.upload_id as string, first }
}

describe('unfinished uploads', () => {
  it('survive a restart of a persistent emulator, and complete with the right hash', async () => {
    dir = mkdtempSync(join(tmpdir(), 'emu-persist-'))
    const s = await emulator({ storageDir: dir, persist: true })
    emu = s.emu
    const refresh = s.emu.issueRefreshToken()
    const { fileId, uploadId, first } = await startTwoPartUpload(s.emu, s.token, s.drive)
    await s.emu.close()
    emu = await startEmulator({ limits: false, storageDir: dir, persist: true })
    expect(emu.driveIds.resource).toBe(s.drive)
    const ids = { drive_id: s.drive, file_id: fileId, upload_id: uploadId }
    // The access token issued before the restart still works; so does the refresh token.
    const parts = await call(emu, s.token, '/adrive/v1.0/openFile/listUploadedParts', ids)
    expect(parts.body.uploaded_parts.map((p: { part_number: number }) => p.part_number)).toEqual([1])
    const tok = await call(emu, undefined, '/oauth/access_token', {
      grant_type: 'refresh_token',
      refresh_token: refresh,
      client_id: emu.clientId,
      client_secret: emu.clientSecret,
    })
    expect(tok.status).toBe(200)
    const url = (
      await call(emu, s.token, '/adrive/v1.0/openFile/getUploadUrl', { ...ids, part_info_list: [{ part_number: 2 }] })
    ).body.part_info_list[0].upload_url
    const second = Buffer.alloc(3000, 9)
    expect((await putPart(url, second)).status).toBe(200)
    const done = await call(emu, s.token, '/adrive/v1.0/openFile/complete', ids)
    expect(done.status).toBe(200)
    expect(done.body.content_hash).toBe(sha1Upper(Buffer.concat([first, second])))
    await emu.close()
    emu = undefined
    expect(partFiles(dir)).toHaveLength(2) // a persistent emulator keeps its bytes on close
  })

  it('are forgotten after uploadSessionTtlSec: NotFound.UploadId, parts and reservation gone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'emu-ttl-'))
    let clock = Date.now()
    const s = await emulator({ storageDir: dir, uploadSessionTtlSec: 30, now: () => clock })
    emu = s.emu
    const { fileId, uploadId } = await startTwoPartUpload(s.emu, s.token, s.drive)
    expect(partFiles(dir)).toHaveLength(1)
    clock += 31_000
    const parts = await call(s.emu, s.token, '/adrive/v1.0/openFile/listUploadedParts', {
      drive_id: s.drive,
      file_id: fileId,
      upload_id: uploadId,
    })
    expect(parts.status).toBe(400)
    expect(parts.body.code).toBe('NotFound.UploadId')
    expect(partFiles(dir)).toHaveLength(0)
    expect(
      (await call(s.emu, s.token, '/adrive/v1.0/openFile/delete', { drive_id: s.drive, file_id: fileId })).status,
    ).toBe(404)
  })
})
