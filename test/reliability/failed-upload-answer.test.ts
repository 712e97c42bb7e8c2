/**
 * A streamed PUT whose upload fails must still be *answered*. Found by the hostile-input run (an over-long name in a
 * WebDAV PUT): the failed upload disposed its body source, fromStream destroyed the request, and destroying a request
 * whose body has not fully arrived closes the socket — so WebDAV and /api/fs/put clients saw a connection reset
 * instead of a status and a message (fixed in src/server/body-source.ts). Any early refusal did it: a name check, a
 * racing writer, a create that failed upstream under faults (create is never retried).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DriverError } from '../../src/errors/index.js'
import { startServer, type RunningServer } from '../../src/server/index.js'
import { MOUNTED_PASSWORD as PASSWORD, startMountedStack, USER, type Stack } from '../helpers/stack.js'
import { envelopeCode, rawRequest } from '../helpers/raw-http.js'

let s: Stack
/** A second server over the same driver whose upload refuses at once, before reading the body. */
let refusing: RunningServer
let refusingPort: number

beforeAll(async () => {
  // The seed takes ~300 KB; 310 KB total leaves room for small files only.
  s = await startMountedStack({ totalSpace: 310_000 })
  const driver = new Proxy(s.driver, {
    get: (target, key, receiver) =>
      key === 'upload'
        ? () => Promise.reject(new DriverError('ALREADY_EXISTS', 'another writer took the name first'))
        : Reflect.get(target, key, receiver),
  })
  refusing = await startServer({ driver, credentials: { user: USER, password: PASSWORD }, port: 0 })
  refusingPort = Number(new URL(refusing.url).port)
})
afterAll(async () => {
  await refusing?.close()
  await s?.close()
})

describe('a failed streamed upload is answered, not reset', () => {
  it('refused before the body arrived: WebDAV answers 409, /api/fs/put code 409, the server stays usable', async () => {
    // holdBodyMs: most of the body arrives only after the refusal, so the request is incomplete when it fails.
    const body = Buffer.alloc(200_000, 1)
    const davRes = await rawRequest(refusingPort, {
      method: 'PUT',
      target: '/dav/new.bin',
      headers: { Authorization: s.basic },
      body,
      holdBodyMs: 300,
    })
    expect(davRes.status).toBe(409)
    expect(davRes.text).toMatch(/another writer/)
    const apiRes = await rawRequest(refusingPort, {
      method: 'PUT',
      target: '/api/fs/put',
      headers: { Authorization: s.basic, 'File-Path': '/new.bin' },
      body,
      holdBodyMs: 300,
    })
    expect(envelopeCode(apiRes)).toBe(409)
    expect((await rawRequest(refusingPort, { method: 'GET', target: '/' })).status).toBe(200)
  })

  it('refused at complete (over quota): 507 with a message, the old file kept', async () => {
    const before = s.tree()
    const res = await rawRequest(s.port, {
      method: 'PUT',
      target: '/dav/a.txt',
      headers: { Authorization: s.basic },
      body: Buffer.alloc(200_000, 1),
    })
    expect(res.status).toBe(507)
    expect(res.text).toMatch(/capacity/)
    expect(s.tree()).toEqual(before)
    expect((await s.emu.readFile('resource', '/mount/a.txt')).toString()).toBe('hello a')
    const api = await rawRequest(s.port, {
      method: 'PUT',
      target: '/api/fs/put',
      headers: { Authorization: s.basic, 'File-Path': '/new.bin' },
      body: Buffer.alloc(200_000, 2),
    })
    expect(envelopeCode(api)).toBe(507)
    expect(s.emu.findByPath('resource', '/mount/new.bin')).toBeUndefined()
  })
})
