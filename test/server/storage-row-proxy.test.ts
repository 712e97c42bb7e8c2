/**
 * A storage row's `web_proxy` and `down_proxy_url` as OpenList applies them (docs/host-notes.md §8.1):
 * - `web_proxy: true`: `/d/` streams the bytes instead of a 302 to AliyunDrive, and fs/get's raw_url is our `/p/`;
 * - with a `down_proxy_url` too: `/d/`, `/p/` and raw_url send the client to `<relay><path>?sign=<sign>`, a sign our
 *   `/d/` accepts (with `d` set, so the relay is not sent back to itself);
 * - `webdav_policy: use_proxy_url` with a `down_proxy_url`: WebDAV GET redirects to the relay; a row without
 *   `web_proxy` keeps `/d/`'s redirect to AliyunDrive;
 * - a `down_proxy_url` that is not an absolute http(s) URL stops serve, naming the row and the key.
 */
import { writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openMountedStorages } from '../../src/cli/serve-storages.js'
import type { EmulatorHandle } from '../../src/emulator/index.js'
import { parseUsers, type RunningServer } from '../../src/server/index.js'
import type { OpenListClient } from '../helpers/openlist-client.js'
import { QUIET, startStoragesStack, type StoragesStack } from '../helpers/storages-stack.js'

const RELAY = 'https://relay.example.test/dl'
let stack: StoragesStack
let emu: EmulatorHandle
let server: RunningServer
let api: OpenListClient
const auth = { Authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` }

const row = (mount_path: string, extra: Record<string, unknown>) => ({
  mount_path,
  driver: 'AliyundriveOpen',
  addition: JSON.stringify(emu.driverConfig({ drive_type: 'resource' })),
  web_proxy: false,
  webdav_policy: '302_redirect',
  down_proxy_url: '',
  disable_proxy_sign: false,
  ...extra,
})

/** Another storages file beside the stack's, for the rows serve must refuse. */
async function writeRows(name: string, rows: unknown[]): Promise<string> {
  const path = join(dirname(stack.path), name)
  await writeFile(path, JSON.stringify(rows), { mode: 0o600 })
  return path
}

beforeAll(async () => {
  const users = parseUsers(
    JSON.stringify([{ username: 'dav', password: 'dav-pw', base_path: '/davrelay' }]),
    'users.json',
    'admin',
  )
  stack = await startStoragesStack(
    { seed: [{ path: '/r/a.bin', content: 'payload' }] },
    (started) => {
      emu = started
      return [
        row('/plain', {}),
        row('/web', { web_proxy: true }),
        row('/relayed', {
          web_proxy: true,
          webdav_policy: 'use_proxy_url',
          down_proxy_url: `${RELAY}/\nhttps://second`,
        }),
        row('/davrelay', { webdav_policy: 'use_proxy_url', down_proxy_url: RELAY }),
        row('/nosign', { web_proxy: true, down_proxy_url: RELAY, disable_proxy_sign: true }),
      ]
    },
    QUIET,
    { users },
  )
  ;({ server, api } = stack)
}, 60_000)

afterAll(async () => {
  await stack?.close()
})

const fsGet = async (path: string) =>
  (await api.post('/fs/get', { path })).json.data as { raw_url: string; sign: string }
const signed = async (route: 'd' | 'p', path: string, extra = '') =>
  `${server.url}/${route}${path}?sign=${encodeURIComponent((await fsGet(path)).sign)}${extra}`
const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers, redirect: 'manual' })

it('a row without web_proxy: raw_url is our /d/ link and /d/ redirects to AliyunDrive', async () => {
  expect((await fsGet('/plain/r/a.bin')).raw_url).toMatch(new RegExp(`^${server.url}/d/plain/r/a\\.bin\\?sign=`))
  const res = await get(await signed('d', '/plain/r/a.bin'))
  expect(res.status).toBe(302)
  expect(res.headers.get('location')).toContain(new URL(emu.apiUrl).host)
})

it('web_proxy: raw_url is our /p/ link, and /d/ streams the bytes instead of redirecting', async () => {
  const raw = (await fsGet('/web/r/a.bin')).raw_url
  expect(raw).toMatch(new RegExp(`^${server.url}/p/web/r/a\\.bin\\?sign=`))
  const viaRaw = await get(raw)
  expect(viaRaw.status).toBe(200)
  expect(await viaRaw.text()).toBe('payload')
  const viaD = await get(await signed('d', '/web/r/a.bin'))
  expect(viaD.status).toBe(200)
  expect(await viaD.text()).toBe('payload')
})

it('web_proxy + down_proxy_url: raw_url, /d/ and /p/ send the client to the relay with a sign /d/ accepts', async () => {
  const raw = (await fsGet('/relayed/r/a.bin')).raw_url
  // Only the first line of down_proxy_url counts, as in OpenList; its trailing '/' does not double the slash.
  expect(raw).toMatch(/^https:\/\/relay\.example\.test\/dl\/relayed\/r\/a\.bin\?sign=[^&]+$/)
  for (const route of ['d', 'p'] as const) {
    const res = await get(await signed(route, '/relayed/r/a.bin'))
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(raw)
  }
  // What the relay does with it: fetch the same path and sign from this server, with `d` so it is not sent back.
  const sign = new URL(raw).searchParams.get('sign')!
  const relayed = await get(`${server.url}/d/relayed/r/a.bin?sign=${encodeURIComponent(sign)}&d=1`)
  expect(relayed.status).toBe(200)
  expect(await relayed.text()).toBe('payload')
  // A forged sign is not accepted.
  const forged = await get(`${server.url}/d/relayed/r/a.bin?sign=${encodeURIComponent(`x${sign}`)}&d=1`)
  expect(forged.status).toBe(401)
})

it('webdav_policy use_proxy_url + down_proxy_url: WebDAV GET redirects to the relay; /d/ keeps its redirect', async () => {
  const dav = await get(`${server.url}/dav/davrelay/r/a.bin`, auth)
  expect(dav.status).toBe(302)
  const location = new URL(dav.headers.get('location')!)
  expect(`${location.origin}${location.pathname}`).toBe(`${RELAY}/davrelay/r/a.bin`)
  // The relay's fetch of /d/ with that sign: this row has no web_proxy, so /d/ sends it on to AliyunDrive.
  const sign = encodeURIComponent(location.searchParams.get('sign')!)
  const bytes = await fetch(`${server.url}/d/davrelay/r/a.bin?sign=${sign}&d=1`)
  expect(bytes.status).toBe(200)
  expect(await bytes.text()).toBe('payload')
  // No web_proxy: the web UI's links keep OpenList's 302 to AliyunDrive, and raw_url stays our /d/.
  const d = await get(await signed('d', '/davrelay/r/a.bin'))
  expect(d.headers.get('location')).toContain(new URL(emu.apiUrl).host)
  expect((await fsGet('/davrelay/r/a.bin')).raw_url).toMatch(new RegExp(`^${server.url}/d/`))
  // The other policies are unchanged: 302_redirect still goes to AliyunDrive.
  const plain = await get(`${server.url}/dav/plain/r/a.bin`, auth)
  expect(plain.headers.get('location')).toContain(new URL(emu.apiUrl).host)
})

it("an account confined below a mount gets that mount's webdav_policy too", async () => {
  const dav = await get(`${server.url}/dav/r/a.bin`, {
    Authorization: `Basic ${Buffer.from('dav:dav-pw').toString('base64')}`,
  })
  expect(dav.status).toBe(302)
  const location = new URL(dav.headers.get('location')!)
  expect(`${location.origin}${location.pathname}`).toBe(`${RELAY}/r/a.bin`)
  // The account's path, signed over the drive path behind it: /d/ opens that file and no other.
  const sign = encodeURIComponent(location.searchParams.get('sign')!)
  const bytes = await fetch(`${server.url}/d/r/a.bin?sign=${sign}&d=1`)
  expect(await bytes.text()).toBe('payload')
})

it('disable_proxy_sign: the relay URL carries no sign', async () => {
  expect((await fsGet('/nosign/r/a.bin')).raw_url).toBe(`${RELAY}/nosign/r/a.bin`)
})

it('a down_proxy_url that is not an absolute http(s) URL stops serve, naming the row and the key', async () => {
  for (const bad of ['relay.example.test/dl', 'ftp://relay.example.test', '/dl', 42]) {
    const path = await writeRows('bad.json', [row('/ok', {}), row('/bad', { down_proxy_url: bad })])
    await expect(openMountedStorages(path, emu.apiUrl, QUIET, 0)).rejects.toThrow(
      /storage #2 \(\/bad\): down_proxy_url must be an absolute http:\/\/ or https:\/\/ URL/,
    )
  }
})
