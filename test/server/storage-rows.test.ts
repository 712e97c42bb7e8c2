/**
 * A storages file exported from OpenList, whole: rows of other drivers are skipped with one line each (not a refusal
 * of the file), `remark` shows in the banner, `webdav_policy` sets WebDAV GET's answer, `cache_expiration` is the
 * listing cache's lifetime in minutes (0 = no cache), OpenList's other row keys are ignored with a debug line, and
 * the folder above the mounts carries each mount's `mount_details` from getSpaceInfo.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { MountedStorages } from '../../src/cli/serve-storages.js'
import type { EmulatorHandle } from '../../src/emulator/index.js'
import type { RunningServer } from '../../src/server/index.js'
import { fromBuffer } from '../../src/upload/index.js'
import type { OpenListClient } from '../helpers/openlist-client.js'
import { startStoragesStack, type StoragesStack } from '../helpers/storages-stack.js'

let stack: StoragesStack
let emu: EmulatorHandle
let mounted: MountedStorages
let server: RunningServer
let api: OpenListClient
const debug: string[] = []
const logger = {
  debug: (m: string) => void debug.push(m),
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
}

/** A row as OpenList exports it: every key of model.Storage. */
const openListRow = (mount_path: string, driver: string, extra: Record<string, unknown>) => ({
  id: 1,
  mount_path,
  order: 0,
  driver,
  cache_expiration: 30,
  custom_cache_policies: '',
  status: 'work',
  addition: '{}',
  remark: '',
  modified: '2026-01-01T00:00:00Z',
  disabled: false,
  disable_index: false,
  enable_sign: false,
  order_by: 'name',
  order_direction: 'asc',
  extract_folder: '',
  web_proxy: false,
  webdav_policy: '302_redirect',
  proxy_range: false,
  down_proxy_url: '',
  disable_proxy_sign: false,
  ...extra,
})

beforeAll(async () => {
  stack = await startStoragesStack(
    { seed: [{ path: '/r/a.txt', content: 'a' }] },
    (e) => {
      const addition = (drive_type: 'resource' | 'backup') => JSON.stringify(e.driverConfig({ drive_type }))
      return [
        openListRow('/local', 'Local', { addition: '{"root_folder_path":"/srv"}' }),
        openListRow('/ali', 'AliyundriveOpen', {
          addition: addition('resource'),
          remark: 'main drive',
          cache_expiration: 0,
        }),
        openListRow('/cached', 'AliyundriveOpen', {
          addition: addition('resource'),
          order: 1,
          webdav_policy: 'native_proxy',
        }),
        openListRow('/115', '115 Cloud', {}),
      ]
    },
    logger,
  )
  ;({ emu, mounted, server, api } = stack)
}, 60_000)

afterAll(() => stack?.close())

it('mounts the AliyundriveOpen rows and names each skipped row of another driver in one line', () => {
  const text = mounted.lines.join('\n')
  expect(text).toMatch(/\/ali {3}\(main drive\)/)
  expect(text).toMatch(/\/cached/)
  expect(text).toMatch(/storage #1 \(\/local\) skipped: driver "Local" is not AliyundriveOpen/)
  expect(text).toMatch(/storage #4 \(\/115\) skipped: driver "115 Cloud" is not AliyundriveOpen/)
  expect(mounted.drivers).toHaveLength(2)
  expect(debug.join('\n')).toMatch(/"proxy_range" is not used by serve/)
  expect(debug.join('\n')).not.toMatch(/"down_proxy_url"|"web_proxy"/)
  expect(debug.join('\n')).not.toMatch(/"webdav_policy"/)
})

it("the folder above the mounts carries each mount's mount_details from getSpaceInfo", async () => {
  const content = (await api.post('/fs/list', { path: '/' })).json.data.content as Array<{
    name: string
    mount_details?: { total_space: number; used_space: number; free_space: number }
  }>
  const { totalSpace, usedSpace } = await mounted.drivers[0]!.details()
  for (const name of ['ali', 'cached'])
    expect(content.find((c) => c.name === name)?.mount_details).toEqual({
      total_space: totalSpace,
      used_space: usedSpace,
      free_space: totalSpace - usedSpace,
    })
})

it('cache_expiration is the listing cache in minutes: 0 lists afresh, 30 keeps the listing', async () => {
  const names = async (p: string) =>
    ((await api.post('/fs/list', { path: p })).json.data.content as Array<{ name: string }>).map((c) => c.name).sort()
  expect(await names('/ali/r')).toEqual(['a.txt'])
  expect(await names('/cached/r')).toEqual(['a.txt'])
  // Another client adds a file behind serve's back (same drive under both mounts).
  const driver = mounted.drivers[0]!
  await driver.upload(await driver.get('/r'), fromBuffer(Buffer.from('b'), 'b.txt'))
  expect(await names('/ali/r')).toEqual(['a.txt', 'b.txt'])
  expect(await names('/cached/r')).toEqual(['a.txt'])
})

it('webdav_policy: 302_redirect answers WebDAV GET with a redirect to AliyunDrive, native_proxy streams', async () => {
  const auth = { Authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` }
  const redirected = await fetch(`${server.url}/dav/ali/r/a.txt`, { headers: auth, redirect: 'manual' })
  expect(redirected.status).toBe(302)
  expect(redirected.headers.get('location')).toContain(new URL(emu.apiUrl).host)
  const streamed = await fetch(`${server.url}/dav/cached/r/a.txt`, { headers: auth, redirect: 'manual' })
  expect(streamed.status).toBe(200)
  expect(await streamed.text()).toBe('a')
})
