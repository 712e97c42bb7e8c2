/**
 * The npm `webdav` client (the most used JavaScript WebDAV client) against /dav/: a round trip, `overwrite: false`
 * refusing to clobber an existing file (it sends If-None-Match: *), lock/unlock, and getQuota().
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createClient, type WebDAVClient } from 'webdav'
import { PASSWORD, startStack, USER, type Stack } from '../helpers/stack.js'

let s: Stack
let client: WebDAVClient
beforeAll(async () => {
  s = await startStack({ totalSpace: 5_000_000 })
  client = createClient(s.server.davUrl, { username: USER, password: PASSWORD })
})
afterAll(() => s?.close())

it('round trip; overwrite: false refuses to clobber; the file keeps its first content', async () => {
  await client.createDirectory('/wc')
  expect(await client.putFileContents('/wc/note.txt', 'first version')).toBe(true)
  expect(await client.putFileContents('/wc/note.txt', 'clobbered!', { overwrite: false })).toBe(false)
  expect(await client.getFileContents('/wc/note.txt', { format: 'text' })).toBe('first version')
  expect(await client.putFileContents('/wc/other.txt', 'fresh', { overwrite: false })).toBe(true)
  const listing = (await client.getDirectoryContents('/wc')) as Array<{
    basename: string
    size: number
    etag: string | null
  }>
  expect(listing.map((e) => e.basename).sort()).toEqual(['note.txt', 'other.txt'])
  expect(listing.find((e) => e.basename === 'note.txt')?.etag).toMatch(/^[0-9a-f]{40}$/)
  await client.moveFile('/wc/other.txt', '/wc/renamed.txt')
  expect(await client.exists('/wc/renamed.txt')).toBe(true)
  await client.deleteFile('/wc')
  expect(await client.exists('/wc')).toBe(false)
})

it('lock, a write by another client is refused while locked, unlock', async () => {
  await client.putFileContents('/locked.txt', 'v1')
  const lock = await client.lock('/locked.txt')
  expect(lock.token).toMatch(/^urn:uuid:/)
  const other = createClient(s.server.davUrl, { username: USER, password: PASSWORD })
  await expect(other.putFileContents('/locked.txt', 'intruder')).rejects.toThrow(/423/)
  await client.unlock('/locked.txt', lock.token)
  expect(await other.putFileContents('/locked.txt', 'v2')).toBe(true)
  expect(await client.getFileContents('/locked.txt', { format: 'text' })).toBe('v2')
})

it('getQuota() reports used and available bytes', async () => {
  const quota = await client.getQuota()
  const { totalSpace, usedSpace } = await s.driver.details()
  expect(quota).toEqual({ used: usedSpace, available: totalSpace - usedSpace })
})
