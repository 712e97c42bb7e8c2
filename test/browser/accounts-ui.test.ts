/**
 * Accounts in OpenList's web UI (README "Accounts"): a read-only account logs in, browses and previews, and the UI
 * offers it no write tool (its /api/me has no write bit, its listings say write: false); a confined account sees its
 * base path as the root and nothing beside it.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { demoSeed } from '../../src/emulator/index.js'
import { parseUsers } from '../../src/server/index.js'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.js'
import { startStack, type Stack } from '../helpers/stack.js'

let s: Stack
let browser: LaunchedBrowser

beforeAll(async () => {
  const users = parseUsers(
    JSON.stringify([
      { username: 'reader', password: 'reader-pw', read_only: true },
      { username: 'docs', password: 'docs-pw', base_path: '/Documents' },
    ]),
    'users.json',
    'admin',
  )
  s = await startStack({ seed: demoSeed() }, { ui: true, users, credentials: { user: 'admin', password: 'ui-admin' } })
  browser = await launchBrowser()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await s?.close()
})

const item = (page: Page, name: string) => page.locator(`p.name[title="${name}"]`)

async function logIn(page: Page, user: string, password: string): Promise<void> {
  await page.goto(`${s.server.url}/`)
  await page.locator('input').first().fill(user)
  await page.locator('input[type=password]').fill(password)
  await page.getByRole('button', { name: /login/i }).click()
}

it('a read-only account browses and previews, and is offered no write tool', async () => {
  const context = await browser.browser.newContext()
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  const before = s.tree()
  await logIn(page, 'reader', 'reader-pw')
  await item(page, 'Documents').click()
  await item(page, 'readme.txt').click()
  await page.getByText('Welcome to the aliyundrive-open demo drive.').waitFor()
  await page.goto(`${s.server.url}/Documents`)
  await item(page, 'readme.txt').waitFor()
  await page.waitForLoadState('networkidle')
  const toggle = page.locator('svg.toolbar-toggle')
  if (await toggle.isVisible()) await toggle.click()
  // The tools a writer gets (test/browser/openlist-ui.test.ts uses them) are not rendered at all.
  for (const tool of ['upload', 'mkdir', 'new_file', 'batch_rename', 'recursive_move'])
    expect(await page.locator(`svg[tips=${tool}]`).count(), tool).toBe(0)
  // The context menu of a file offers no rename or delete either.
  await item(page, 'readme.txt').click({ button: 'right' })
  const menu = page.locator('.solid-contextmenu__item')
  const entries = (await menu.allTextContents()).map((t) => t.trim().toLowerCase())
  for (const write of ['rename', 'move', 'copy', 'delete']) expect(entries, write).not.toContain(write)
  expect(s.tree()).toEqual(before)
  await context.close()
}, 120_000)

it('a confined account sees its folder as the root and nothing beside it', async () => {
  const context = await browser.browser.newContext()
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  await logIn(page, 'docs', 'docs-pw')
  await item(page, 'readme.txt').waitFor()
  expect(await item(page, 'Documents').count()).toBe(0)
  expect(await item(page, 'Pictures').count()).toBe(0)
  await item(page, 'readme.txt').click()
  await page.getByText('Welcome to the aliyundrive-open demo drive.').waitFor()
  // A typed path outside its folder is its own path: /Pictures is /Documents/Pictures, which does not exist.
  await page.goto(`${s.server.url}/Pictures/photo.jpg`)
  await page.waitForLoadState('networkidle')
  expect(await page.locator('img[src*="photo.jpg"]').count()).toBe(0)
  await context.close()
}, 120_000)
