/**
 * The folder above several mounts carries each mount's `mount_details` (getSpaceInfo), kept per storage for the
 * row's `cache_expiration` minutes (5 minutes for a row without it), as OpenList keeps a storage's details: listing
 * that folder again asks getSpaceInfo nothing, a listing with `refresh` asks again, and a write through serve drops
 * the written storage's figures so its bar moves.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startStoragesStack, type StoragesStack } from '../helpers/storages-stack.js'

const SPACE = '/adrive/v1.0/user/getSpaceInfo'
let stack: StoragesStack

beforeAll(async () => {
  stack = await startStoragesStack({ seed: [{ path: '/r/a.txt', content: 'a' }] }, (emu) => {
    const addition = JSON.stringify(emu.driverConfig({ drive_type: 'resource' }))
    return [
      { mount_path: '/thirty', driver: 'AliyundriveOpen', addition, cache_expiration: 30 },
      { mount_path: '/unset', driver: 'AliyundriveOpen', addition },
    ]
  })
}, 60_000)

afterAll(async () => {
  await stack?.close()
})

const spaceCalls = () => stack.emu.stats().calls[SPACE] ?? 0
const usage = async (refresh = false) => {
  const content = (await stack.api.post('/fs/list', { path: '/', refresh })).json.data.content as Array<{
    name: string
    mount_details?: { used_space: number }
  }>
  return Object.fromEntries(content.map((c) => [c.name, c.mount_details?.used_space]))
}

it('two listings of the folder above the mounts ask getSpaceInfo once per mount', async () => {
  const before = spaceCalls()
  const first = await usage()
  const second = await usage()
  expect(spaceCalls() - before).toBe(2)
  expect(first.thirty).toBeTypeOf('number')
  expect(second).toEqual(first)
})

it('a listing with refresh asks again', async () => {
  const before = spaceCalls()
  await usage(true)
  expect(spaceCalls() - before).toBe(2)
})

it("a write through serve drops the written storage's figures: its bar moves, the other stays cached", async () => {
  const was = await usage()
  const before = spaceCalls()
  const put = await fetch(`${stack.server.url}/api/fs/put`, {
    method: 'PUT',
    headers: { Authorization: stack.server.token, 'File-Path': encodeURIComponent('/thirty/r/big.bin') },
    body: Buffer.alloc(4096, 7),
  })
  expect((await put.json()).code).toBe(200)
  const now = await usage()
  expect(spaceCalls() - before).toBe(1)
  expect(now.thirty).toBe(was.thirty! + 4096)
  expect(now.unset).toBe(was.unset)
})
