import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { EmulatorHandle } from '../../src/emulator/index.js'
import { call, emulator, sha1Upper, uploadFile } from '../helpers/emulator.js'

let emu: EmulatorHandle | undefined
let dir = ''
afterEach(async () => {
  await emu?.close()
  emu = undefined
  rmSync(dir, { recursive: true, force: true })
})

function filesUnder(root: string): { name: string; size: number }[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => ({ name: d.name, size: statSync(join(d.parentPath, d.name)).size }))
}

describe('storageDir', () => {
  it('stores part bodies as files on disk, serves ranges from them, shares blobs on copy and cleans up on close', async () => {
    dir = mkdtempSync(join(tmpdir(), 'emu-store-'))
    const s = await emulator({ storageDir: dir, seed: [{ path: '/seeded.txt', content: 'seeded on disk' }] })
    emu = s.emu
    const p1 = Buffer.alloc(300_000, 1)
    const p2 = Buffer.alloc(123_456, 2)
    const done = await uploadFile(s.emu, s.token, s.drive, 'root', 'big.bin', [p1, p2])
    expect(done.status).toBe(200)
    expect(done.body.content_hash).toBe(sha1Upper(Buffer.concat([p1, p2])))
    const sizes = filesUnder(dir)
      .map((f) => f.size)
      .sort((a, b) => a - b)
    expect(sizes).toEqual(['seeded on disk'.length, 123_456, 300_000].sort((a, b) => a - b))
    const copy = await call(s.emu, s.token, '/adrive/v1.0/openFile/copy', {
      drive_id: s.drive,
      file_id: done.body.file_id,
      to_parent_file_id: 'root',
    })
    expect(copy.status).toBe(200)
    expect(filesUnder(dir)).toHaveLength(3) // the copy shares the blob
    const url = (
      await call(s.emu, s.token, '/adrive/v1.0/openFile/getDownloadUrl', {
        drive_id: s.drive,
        file_id: copy.body.file_id,
      })
    ).body.url
    const r = await fetch(url, { headers: { range: 'bytes=299998-300001' } })
    expect(r.status).toBe(206)
    expect([...Buffer.from(await r.arrayBuffer())]).toEqual([1, 1, 2, 2])
    // deleting one copy keeps the bytes; deleting both frees them
    await call(s.emu, s.token, '/adrive/v1.0/openFile/delete', { drive_id: s.drive, file_id: done.body.file_id })
    expect(filesUnder(dir)).toHaveLength(3)
    await call(s.emu, s.token, '/adrive/v1.0/openFile/delete', { drive_id: s.drive, file_id: copy.body.file_id })
    expect(filesUnder(dir)).toHaveLength(1)
    await s.emu.close()
    emu = undefined
    expect(filesUnder(dir)).toHaveLength(0)
  })
})
