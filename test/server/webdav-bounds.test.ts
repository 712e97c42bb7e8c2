/**
 * WebDAV inputs are bounded (RELIABILITY.md "WebDAV inputs are bounded"): lock owners, locks per
 * resource and per client, lock-null lifetimes, a full table that still lets owners refresh and unlock, dead-property
 * size counted over namespace + name + value and per file, namespace-heavy XML, and a Destination on another host.
 * Over raw HTTP where the route matters, on the lock table with an injected clock where the numbers do. No timing is
 * asserted (bench/webdav-bounds.ts measures it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  LOCK_NULL_TIMEOUT_SEC,
  LockManager,
  MAX_LOCKS,
  MAX_LOCKS_PER_CLIENT,
  MAX_LOCKS_PER_RESOURCE,
} from '../../src/server/webdav/lock-manager.js'
import { MAX_OWNER_BYTES } from '../../src/server/webdav/lock-xml.js'
import { XmlError } from '../../src/server/server-errors.js'
import { parseXml } from '../../src/server/webdav/xml-parse.js'
import { raw, type Reply } from '../helpers/openlist-client.js'
import { startStack, type Stack } from '../helpers/stack.js'

let s: Stack
let dav: (method: string, path: string, headers?: Record<string, string>, body?: string) => Promise<Reply>

beforeAll(async () => {
  s = await startStack({
    seed: [
      { path: '/b', folder: true },
      { path: '/b/shared.txt', content: 'x' },
      { path: '/b/props.txt', content: 'x' },
      { path: '/b/keep.txt', content: 'keep' },
    ],
  })
  dav = (method, path, headers = {}, body) =>
    raw(`${s.server.url}/dav${path}`, method, { Authorization: s.basic, ...headers }, body)
})
afterAll(() => s.close())

const lockinfo = (scope: 'exclusive' | 'shared', owner: string) =>
  `<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:${scope}/></D:lockscope>` +
  `<D:locktype><D:write/></D:locktype><D:owner>${owner}</D:owner></D:lockinfo>`

const proppatch = (path: string, ns: string, local: string, value: string) =>
  dav(
    'PROPPATCH',
    path,
    {},
    `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop>` +
      `<Z:${local} xmlns:Z="${ns}">${value}</Z:${local}></D:prop></D:set></D:propertyupdate>`,
  )

describe('locks', () => {
  it(`an owner above ${MAX_OWNER_BYTES} bytes is refused with 400; a normal one is kept`, async () => {
    const big = await dav('LOCK', '/b/shared.txt', {}, lockinfo('shared', 'o'.repeat(MAX_OWNER_BYTES + 1)))
    expect([big.status, big.json]).toEqual([400, expect.stringContaining(`larger than ${MAX_OWNER_BYTES} bytes`)])
    const ok = await dav('LOCK', '/b/shared.txt', {}, lockinfo('shared', 'o'.repeat(2000)))
    expect(ok.status).toBe(200)
    await dav('UNLOCK', '/b/shared.txt', { 'Lock-Token': String(ok.headers['lock-token']) })
  })

  it(`at most ${MAX_LOCKS_PER_RESOURCE} shared locks on one file; its PROPFIND stays small`, async () => {
    const owner = 'w'.repeat(MAX_OWNER_BYTES - 100)
    const statuses: number[] = []
    for (let i = 0; i < MAX_LOCKS_PER_RESOURCE + 4; i++)
      statuses.push((await dav('LOCK', '/b/shared.txt', {}, lockinfo('shared', owner))).status)
    expect(statuses.filter((c) => c === 200)).toHaveLength(MAX_LOCKS_PER_RESOURCE)
    expect(statuses.slice(MAX_LOCKS_PER_RESOURCE)).toEqual([503, 503, 503, 503])
    const pf = await dav('PROPFIND', '/b/', { Depth: '1' }, '<propfind xmlns="DAV:"><allprop/></propfind>')
    expect(pf.status).toBe(207)
    expect(Buffer.byteLength(String(pf.json))).toBeLessThan(MAX_LOCKS_PER_RESOURCE * MAX_OWNER_BYTES + 16_384)
  })

  it(`a LOCK that creates its file lives ${LOCK_NULL_TIMEOUT_SEC} s until the file is written`, async () => {
    const r = await dav('LOCK', '/b/new.txt', { Timeout: 'Second-3600' }, lockinfo('exclusive', 'me'))
    expect(r.status).toBe(201)
    expect(r.json).toMatch(new RegExp(`<D:timeout>Second-(${LOCK_NULL_TIMEOUT_SEC}|${LOCK_NULL_TIMEOUT_SEC - 1})<`))
    const token = String(r.headers['lock-token'])
    const put = await dav('PUT', '/b/new.txt', { If: `(${token})`, 'Content-Length': '3' }, 'abc')
    expect(put.status).toBeLessThan(300)
    const pf = await dav(
      'PROPFIND',
      '/b/new.txt',
      { Depth: '0' },
      '<propfind xmlns="DAV:"><prop><lockdiscovery/></prop></propfind>',
    )
    expect(pf.json).toMatch(/<D:timeout>Second-(3600|3599)</)
  })
})

describe('the lock table', () => {
  it(`one client holds at most ${MAX_LOCKS_PER_CLIENT}; another still locks`, () => {
    const locks = new LockManager(() => 0)
    for (let i = 0; i < MAX_LOCKS_PER_CLIENT; i++) locks.create(`/f${i}`, '0', 'exclusive', '', 600, { client: 'a' })
    expect(() => locks.create('/more', '0', 'exclusive', '', 600, { client: 'a' })).toThrow(
      /this client holds too many/,
    )
    expect(locks.create('/more', '0', 'exclusive', '', 600, { client: 'b' }).root).toBe('/more')
  })

  it('a full table refuses new locks but never an owner’s refresh or unlock', () => {
    let now = 0
    const locks = new LockManager(() => now)
    const mine = locks.create('/mine', '0', 'exclusive', '', 60, { client: 'owner' })
    for (let i = 1; i < MAX_LOCKS; i++) locks.create(`/f${i}`, '0', 'shared', '', 600)
    expect(() => locks.create('/x', '0', 'shared', '', 600, { client: 'owner' })).toThrow(/too many active locks/)
    now += 30_000
    locks.refresh(mine, 600)
    expect(locks.remainingSec(mine)).toBe(600)
    expect(locks.covering('/mine')).toEqual([mine])
    expect(locks.remove(mine.token)).toBe(true)
    expect(locks.create('/x', '0', 'shared', '', 600, { client: 'owner' }).root).toBe('/x')
  })

  it('lock-null locks expire after the short lifetime; a refresh without content keeps it short', () => {
    let now = 0
    const locks = new LockManager(() => now)
    const l = locks.create('/n', '0', 'exclusive', '', 3600, { lockNull: true })
    expect(locks.remainingSec(l)).toBe(LOCK_NULL_TIMEOUT_SEC)
    locks.refresh(l, 3600, false)
    expect(locks.remainingSec(l)).toBe(LOCK_NULL_TIMEOUT_SEC)
    now += LOCK_NULL_TIMEOUT_SEC * 1000 + 1
    expect(locks.get(l.token)).toBeUndefined()
    expect(locks.covering('/n')).toEqual([])
  })

  it('covering finds depth-infinity locks on ancestors and only depth-0 locks on the path itself', () => {
    const locks = new LockManager(() => 0)
    const deep = locks.create('/a', 'infinity', 'shared', '', 60)
    const flat = locks.create('/a/b', '0', 'shared', '', 60)
    const root = locks.create('/', 'infinity', 'shared', '', 60)
    locks.create('/a/b/c', '0', 'shared', '', 60)
    expect(new Set(locks.covering('/a/b'))).toEqual(new Set([deep, flat, root]))
    expect(locks.covering('/z')).toEqual([root])
    expect(
      locks
        .below('/a')
        .map((l) => l.root)
        .sort(),
    ).toEqual(['/a/b', '/a/b/c'])
    locks.removeTree('/a')
    expect(locks.covering('/a/b/c')).toEqual([root])
  })
})

describe('dead properties', () => {
  it('a 100 KB name or namespace is refused like a 100 KB value (507)', async () => {
    expect((await proppatch('/b/props.txt', 'urn:x', 'n'.repeat(100_000), 'v')).status).toBe(507)
    expect((await proppatch('/b/props.txt', `urn:${'x'.repeat(100_000)}`, 'n', 'v')).status).toBe(507)
    expect((await proppatch('/b/props.txt', 'urn:x', 'n', 'v'.repeat(100_000))).status).toBe(507)
    expect((await proppatch('/b/props.txt', 'urn:x', 'small', 'v')).status).toBe(207)
  })

  it('one file holds at most 256 KiB of properties in all', async () => {
    const codes: number[] = []
    for (let i = 0; i < 6; i++)
      codes.push((await proppatch('/b/props.txt', 'urn:y', `p${i}`, 'v'.repeat(60_000))).status)
    expect(codes).toEqual([207, 207, 207, 207, 507, 507])
  })
})

describe('XML bodies', () => {
  it('16,000 namespace declarations (357 KB): parsed, and a PROPFIND answered', async () => {
    const decl = Array.from({ length: 16_000 }, (_, i) => ` xmlns:p${i}="u:${i}"`).join('')
    const body = `<?xml version="1.0"?><D:propfind xmlns:D="DAV:"${decl}><D:prop>${'<D:getetag/>'.repeat(2_000)}</D:prop></D:propfind>`
    expect(body.length).toBeGreaterThan(350_000)
    const r = await dav('PROPFIND', '/b/keep.txt', { Depth: '0' }, body)
    expect(r.status).toBe(207)
    expect(r.json).toContain('<D:getetag>')
  })

  it('a declaration is in scope only inside its element', () => {
    const root = parseXml('<a xmlns:p="u1"><p:b/><c xmlns:p="u2"><p:d/></c><p:e/><f xmlns:p="u3"/><p:g/></a>')
    const names = (el: typeof root): string[] => [`${el.ns}|${el.local}`, ...el.children.flatMap(names)]
    expect(names(root)).toEqual(['|a', 'u1|b', '|c', 'u2|d', 'u1|e', '|f', 'u1|g'])
    expect(() => parseXml('<a><c xmlns:p="u2"/><p:d/></a>')).toThrow(XmlError)
  })

  it('elements nested deeper than 200 levels are refused', () => {
    expect(() => parseXml(`${'<a>'.repeat(201)}${'</a>'.repeat(201)}`)).toThrow(/deeper than 200/)
    expect(parseXml(`${'<a>'.repeat(200)}${'</a>'.repeat(200)}`).local).toBe('a')
  })
})

describe('Destination', () => {
  it('on another host: 502 and the source stays', async () => {
    const r = await dav('MOVE', '/b/keep.txt', { Destination: 'http://elsewhere.example/dav/b/moved.txt' })
    expect(r.status).toBe(502)
    expect((await dav('GET', '/b/keep.txt')).json).toBe('keep')
    expect((await dav('GET', '/b/moved.txt')).status).toBe(404)
  })

  it('on this host (as the request named it): moved', async () => {
    const host = new URL(s.server.url).host
    const r = await dav('MOVE', '/b/keep.txt', { Destination: `http://${host}/dav/b/moved.txt` })
    expect(r.status).toBe(201)
  })
})
