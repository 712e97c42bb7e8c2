/**
 * Listed URLs through `serve` (docs/api-notes.md §13.3): a proxied small file (`/d/?proxy=1`, WebDAV GET) is read
 * from the URL its listing carried, verified against the listed SHA-1 before a byte is sent, and only otherwise from
 * getDownloadUrl's link; a `/d/` redirect never hands out a listed URL. Each case counts getDownloadUrl calls with
 * the emulator's counters: fresh (0 calls), stale (x-oss-expires under a minute away), lying (the emulator's listed
 * URLs serve other bytes), an image (its listed URL may be a preview) and a file of 5 MB or more (none listed).
 */
import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { EmulatorOptions } from '../../src/emulator/index.js'
import { startStack, type Stack } from '../helpers/stack.js'

const LINK_ROUTE = '/adrive/v1.0/openFile/getDownloadUrl'
const SMALL = 'small file bytes '.repeat(300)
const LARGE = 6_000_000
const seed = [
  { path: '/s/a.txt', content: SMALL },
  { path: '/s/photo.jpg', content: 'jpeg bytes' },
  { path: '/s/large.bin', size: LARGE },
]

let s: Stack | undefined
afterEach(async () => {
  await s?.close()
  s = undefined
})

const sha1 = (b: Buffer | string) => createHash('sha1').update(b).digest('hex')
const linkCalls = () => s!.emu.stats().calls[LINK_ROUTE] ?? 0

/** Starts the stack and lists /s through the server, so the driver has the listing's URLs. */
async function setUp(emuOpts: EmulatorOptions = {}): Promise<void> {
  s = await startStack({ seed, ...emuOpts })
  const res = await fetch(`${s.server.url}/dav/s/`, {
    method: 'PROPFIND',
    headers: { Authorization: s.basic, Depth: '1' },
  })
  expect(res.status).toBe(207)
  await res.text()
  s.emu.resetStats()
}

const routes = {
  '/d/?proxy=1': (path: string) => `${s!.server.url}/d${path}?proxy=1`,
  'WebDAV GET': (path: string) => `${s!.server.url}/dav${path}`,
}

async function bytesOf(url: string, headers: Record<string, string> = {}): Promise<Buffer> {
  const res = await fetch(url, { headers: { Authorization: s!.basic, ...headers } })
  expect(res.status).toBe(headers.Range ? 206 : 200)
  return Buffer.from(await res.arrayBuffer())
}

describe.each(Object.entries(routes))('listed URLs, proxied: %s', (_name, urlOf) => {
  it('fresh: a small file comes from its listed URL, SHA-1 equal, no getDownloadUrl call', async () => {
    await setUp()
    expect(sha1(await bytesOf(urlOf('/s/a.txt')))).toBe(sha1(SMALL))
    expect((await bytesOf(urlOf('/s/a.txt'), { Range: 'bytes=5-14' })).toString()).toBe(SMALL.slice(5, 15))
    expect(linkCalls()).toBe(0)
    expect(s!.emu.stats().downloads).toBe(2)
  })

  it('stale: a listed URL with under a minute left is not used; getDownloadUrl is asked once', async () => {
    await setUp({ downloadUrlTtlSec: 30 })
    expect(sha1(await bytesOf(urlOf('/s/a.txt')))).toBe(sha1(SMALL))
    expect(linkCalls()).toBe(1)
  })

  it('lying: a listed URL serving other bytes is refused before a byte is sent; the right file follows', async () => {
    await setUp({ faults: { listedUrlsServeOtherBytes: true } })
    expect(sha1(await bytesOf(urlOf('/s/a.txt')))).toBe(sha1(SMALL))
    expect(linkCalls()).toBe(1)
    // The refused URL is not tried again: the next request goes straight to the (cached) link.
    const before = s!.emu.stats().downloads
    expect(sha1(await bytesOf(urlOf('/s/a.txt')))).toBe(sha1(SMALL))
    expect(s!.emu.stats().downloads - before).toBe(1)
    expect(linkCalls()).toBe(1)
  })

  it('image: no listed URL is used (it may be a preview); getDownloadUrl gives the original', async () => {
    await setUp()
    expect((await bytesOf(urlOf('/s/photo.jpg'))).toString()).toBe('jpeg bytes')
    expect(linkCalls()).toBe(1)
  })

  it('large: a file of 5 MB or more has no listed URL and is streamed from getDownloadUrl', async () => {
    await setUp()
    const bytes = await bytesOf(urlOf('/s/large.bin'))
    expect(bytes.length).toBe(LARGE)
    expect(sha1(bytes)).toBe(s!.emu.findByPath('resource', '/s/large.bin')!.content_hash!.toLowerCase())
    expect(linkCalls()).toBe(1)
  })
})

describe('listed URLs, /d/ redirect', () => {
  for (const [name, opts] of [
    ['fresh', {}],
    ['lying', { faults: { listedUrlsServeOtherBytes: true } }],
  ] as const) {
    it(`${name}: the 302 goes to getDownloadUrl's link, never to the unverified listed URL`, async () => {
      await setUp(opts)
      const res = await fetch(`${s!.server.url}/d/s/a.txt`, {
        redirect: 'manual',
        headers: { Authorization: s!.basic },
      })
      expect(res.status).toBe(302)
      expect(linkCalls()).toBe(1)
      const location = res.headers.get('location')!
      expect(location).not.toContain('emu-other-bytes')
      expect(sha1(Buffer.from(await (await fetch(location)).arrayBuffer()))).toBe(sha1(SMALL))
    })
  }
})
