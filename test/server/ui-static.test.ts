/**
 * The web UI's files at `/`: index.html filled as OpenList's backend fills it, for `/` and every SPA route;
 * manifest and logo; the static folders and nothing outside them; off unless asked for (`serve --no-ui`).
 */
import { readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UI_DIR } from '../../src/server/ui/ui-files.js'
import { raw } from '../helpers/openlist-client.js'
import { startStack, type Stack } from '../helpers/stack.js'

let withUi: Stack
let withoutUi: Stack

beforeAll(async () => {
  withUi = await startStack({ seed: [{ path: '/a.txt', content: 'a' }] }, { ui: true })
  withoutUi = await startStack({ seed: [] })
})
afterAll(async () => {
  await withUi.close()
  await withoutUi.close()
})

describe('web UI', () => {
  it('serves index.html with OPENLIST_CONFIG filled, our title and logo, at / and at SPA routes', async () => {
    for (const path of ['/', '/Documents/readme.txt', '/@manage/storages', '/@login']) {
      const r = await raw(`${withUi.server.url}${path}`, 'GET', {})
      expect(r.status, path).toBe(200)
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8')
      const html = r.json as string
      expect(html).toContain("cdn: '',")
      expect(html).toContain("base_path: '/',")
      expect(html).toContain("main_color: '#1890ff',")
      expect(html).toContain('<title>aliyundrive-open</title>')
      expect(html).not.toContain('res.oplist.org')
    }
    expect((await raw(`${withUi.server.url}/Documents`, 'DELETE', {})).status).toBe(405)
  })

  it('serves the manifest, the logo and the static folders, and nothing outside them', async () => {
    const manifest = await raw(`${withUi.server.url}/manifest.json`, 'GET', {})
    expect(manifest.json).toMatchObject({ name: 'aliyundrive-open', start_url: '/', icons: [{ src: '/favicon.svg' }] })
    expect((await raw(`${withUi.server.url}/favicon.svg`, 'GET', {})).headers['content-type']).toBe('image/svg+xml')
    const asset = readdirSync(`${UI_DIR}assets`).find((f) => f.endsWith('.css'))!
    const css = await raw(`${withUi.server.url}/assets/${asset}`, 'GET', {})
    expect([css.status, css.headers['content-type'], css.headers['cache-control']]).toEqual([
      200,
      'text/css; charset=utf-8',
      'public, max-age=15552000',
    ])
    expect((await raw(`${withUi.server.url}/assets/${asset}`, 'HEAD', {})).status).toBe(200)
    for (const bad of [
      '/assets/../index.html',
      '/assets/%2e%2e/VERSION',
      '/assets/..%2f..%2fpackage.json',
      '/static/nope.js',
    ]) {
      const r = await raw(`${withUi.server.url}${bad}`, 'GET', {})
      // Never the file: either refused (404) or the SPA page.
      expect(r.status === 404 || (typeof r.json === 'string' && r.json.includes('OPENLIST_CONFIG')), bad).toBe(true)
    }
  })

  it('is off unless asked for: the API stays, / is the plain banner', async () => {
    const root = await raw(`${withoutUi.server.url}/`, 'GET', {})
    expect(root.json).toMatch(/^aliyundrive-open: OpenList API at \/api/)
    expect((await raw(`${withoutUi.server.url}/Documents`, 'GET', {})).status).toBe(404)
    expect((await raw(`${withoutUi.server.url}/api/public/settings`, 'GET', {})).json.code).toBe(200)
  })
})
