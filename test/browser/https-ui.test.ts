/**
 * OpenList's web UI over HTTPS (README "HTTPS"): `serve --tls-cert/--tls-key` with a certificate made at run time,
 * Chromium told to accept it (ignoreHTTPSErrors, as a user accepts a self-signed certificate once). Login, browse, a
 * text preview read through /p/ and an image loaded through /d/: every link the UI follows stays on https.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { demoSeed } from '../../src/emulator/index.js'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.js'
import { startStack, type Stack } from '../helpers/stack.js'
import { makeCertificate } from '../helpers/tls.js'

let s: Stack
let browser: LaunchedBrowser
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ado-https-ui-'))
  s = await startStack(
    { seed: demoSeed() },
    { ui: true, tls: makeCertificate(dir), credentials: { user: 'admin', password: 'https-ui-password' } },
  )
  browser = await launchBrowser()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await s?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const item = (page: Page, name: string) => page.locator(`p.name[title="${name}"]`)

it('logs in, browses and previews over https, with no request in clear', async () => {
  expect(s.server.url).toMatch(/^https:/)
  const context = await browser.browser.newContext({ ignoreHTTPSErrors: true })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  const requested: string[] = []
  page.on('request', (r) => requested.push(r.url()))
  await page.goto(`${s.server.url}/`)
  await page.locator('input').first().fill(s.user)
  await page.locator('input[type=password]').fill(s.password)
  await page.getByRole('button', { name: /login/i }).click()
  await item(page, 'Documents').click()
  await item(page, 'readme.txt').click()
  await page.getByText('Welcome to the aliyundrive-open demo drive.').waitFor()
  await page.goto(`${s.server.url}/Pictures/photo.jpg`)
  await page.waitForFunction(() =>
    [...document.images].some((i) => i.src.includes('/d/Pictures/photo.jpg') && i.naturalWidth === 640),
  )
  const ours = requested.filter((u) => u.includes(`//127.0.0.1:${s.port}/`))
  expect(ours.some((u) => u.includes('/p/Documents/readme.txt'))).toBe(true)
  expect(ours.filter((u) => !u.startsWith('https:'))).toEqual([])
  await context.close()
}, 120_000)
