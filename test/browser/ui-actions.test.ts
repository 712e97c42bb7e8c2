/// <reference lib="dom" />
/**
 * OpenList's web UI offers only what `serve` does (/api/me's permission bits): every toolbar and context-menu
 * action it shows is opened, the ones that write without a target to pick are submitted, and no /api answer or
 * download is a 404. The copy dialog's "Skip existing files" succeeds on a taken name and keeps the target. The demo
 * Live Photo loads through /d/ without a broken transfer (its listed size is what arrives). One browser, one page.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { demoSeed } from '../../src/emulator/index.js'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.js'
import { startStack, type Stack } from '../helpers/stack.js'

let s: Stack
let browser: LaunchedBrowser
const answers: Array<{
  method: string
  path: string
  status: number
  code?: number | undefined
  body?: string | undefined
}> = []
const failedLoads: string[] = []

beforeAll(async () => {
  s = await startStack(
    { seed: demoSeed() },
    { ui: true, proxyDownloads: false, credentials: { user: 'admin', password: 'browser-test-password' } },
  )
  browser = await launchBrowser()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await s?.close()
})

async function instrument(page: Page): Promise<void> {
  page.on('response', async (r) => {
    const url = new URL(r.url())
    if (!url.pathname.startsWith('/api/') && !url.pathname.startsWith('/d/') && !url.pathname.startsWith('/p/')) return
    const entry: {
      method: string
      path: string
      status: number
      code?: number | undefined
      body?: string | undefined
    } = { method: r.request().method(), path: url.pathname, status: r.status() }
    answers.push(entry)
    if (url.pathname.startsWith('/api/')) {
      try {
        const body = JSON.parse(await r.text()) as { code?: number }
        entry.code = body.code
        entry.body = r.request().postData()?.slice(0, 200)
      } catch {
        /* not JSON */
      }
    }
  })
  page.on('requestfailed', (r) => {
    if (r.url().includes('live.livp')) failedLoads.push(`${r.url()}: ${r.failure()?.errorText}`)
  })
}

const item = (page: Page, name: string) => page.locator(`p.name[title="${name}"]`)

async function closeDialog(page: Page): Promise<void> {
  if ((await page.locator('[role=dialog]').count()) === 0) return
  await page.keyboard.press('Escape')
  try {
    await page.locator('[role=dialog]').first().waitFor({ state: 'detached', timeout: 3_000 })
  } catch {
    // A dialog that ignores Escape (closeOnEsc: false) has a close button.
    await page.locator('[role=dialog] button[aria-label]').first().click({ force: true })
    await page.locator('[role=dialog]').first().waitFor({ state: 'detached' })
  }
  await page.waitForLoadState('networkidle')
}

/** The right-hand toolbar's tools the UI shows now (the toggle reveals the folded ones). */
async function visibleTools(page: Page): Promise<string[]> {
  const toggle = page.locator('svg.toolbar-toggle')
  if ((await toggle.count()) > 0 && (await page.locator('svg[tips=mkdir]').count()) === 0) await toggle.click()
  return page.locator('svg[tips]').evaluateAll((els) => els.map((e) => e.getAttribute('tips') ?? ''))
}

it('shows only served actions; opening each answers no 404; skip existing and the Live Photo work', async () => {
  const page = await browser.browser.newPage({ viewport: { width: 1280, height: 800 } })
  page.setDefaultTimeout(15_000)
  await instrument(page)
  const url = s.server.url
  const clicked: string[] = []
  await page.goto(`${url}/`)
  await page.locator('input').first().fill(s.user)
  await page.locator('input[type=password]').fill(s.password)
  await page.getByRole('button', { name: /login/i }).click()
  await item(page, 'Documents').waitFor()

  // The right toolbar: every tool shown is opened; the writing ones that need no target picked are submitted.
  await page.goto(`${url}/Documents`)
  await item(page, 'readme.txt').waitFor()
  await page.waitForLoadState('networkidle')
  const tools = await visibleTools(page)
  expect(tools).not.toContain('offline_download')
  for (const tool of tools) {
    if (['toolbar_toggle', 'toggle_markdown_toc', 'more'].includes(tool)) continue
    const icon = page.locator(`svg[tips=${tool}]`)
    if (!(await icon.isVisible())) await visibleTools(page)
    if (!(await icon.isVisible())) continue
    await icon.click()
    clicked.push(`toolbar ${tool}`)
    if (tool === 'new_file') {
      await page.locator('#modal-input').fill('new-from-toolbar.txt')
      await page
        .locator('[role=dialog] button', { hasText: /^(OK|Confirm)$/ })
        .last()
        .click()
    } else if (tool === 'remove_empty_directory') {
      await page
        .locator('[role=dialog] button', { hasText: /^(OK|Confirm)$/ })
        .last()
        .click()
    }
    await page.waitForLoadState('networkidle')
    await closeDialog(page)
  }

  // The context menu of a file: every item shown is listed; no Share or offline download among them.
  await page.goto(`${url}/Documents`)
  await item(page, 'readme.txt').waitFor()
  await page.waitForLoadState('networkidle')
  await item(page, 'readme.txt').click({ button: 'right' })
  const menu = await page
    .locator('.solid-contextmenu__item:visible')
    .evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()))
  clicked.push(...menu.map((m) => `context ${m}`))
  expect(menu.join('|')).not.toMatch(/share|offline/i)
  expect(menu.join('|')).toMatch(/Rename/)
  await page.keyboard.press('Escape')

  // Copy readme.txt into /Empty, then again with "Skip existing files": success, the first copy kept.
  for (const skip of [false, true]) {
    await page.goto(`${url}/Documents`)
    await item(page, 'readme.txt').waitFor()
    await page.waitForLoadState('networkidle')
    await item(page, 'readme.txt').click({ button: 'right' })
    await page.locator('.solid-contextmenu__item', { hasText: 'Copy' }).first().click()
    if (skip) await page.locator('[role=dialog] label', { hasText: 'Skip existing files' }).click()
    await page.locator('[role=dialog] p', { hasText: /^Empty$/ }).click()
    await page
      .locator('[role=dialog] button', { hasText: /^(OK|Confirm)$/ })
      .last()
      .click()
    await page.locator('[role=dialog]').waitFor({ state: 'detached' })
    await expect
      .poll(async () => (await s.server.fs.tryStat('/Empty/readme.txt')) !== undefined, { timeout: 15_000 })
      .toBe(true)
  }
  const copies = answers.filter((a) => a.path === '/api/fs/copy')
  expect(copies.map((c) => c.code)).toEqual([200, 200])
  expect(copies[1]!.body).toContain('"skip_existing":true')
  clicked.push('context Copy (Skip existing files)')

  // The Live Photo's preview: whatever the image element loads arrives whole.
  await page.goto(`${url}/Pictures/live.livp`)
  await page.waitForLoadState('networkidle')
  expect(failedLoads).toEqual([])
  // A page's fetch of raw_url (as the UI's viewers do) is proxied through us: it must arrive whole, at the listed size.
  const got = await fetch(`${url}/api/fs/get`, {
    method: 'POST',
    headers: { Authorization: s.server.token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ path: '/Pictures/live.livp' }),
  }).then((r) => r.json() as Promise<{ data: { raw_url: string; size: number } }>)
  const fetched = await page.evaluate(async (raw) => {
    try {
      return (await (await fetch(raw)).arrayBuffer()).byteLength
    } catch (e) {
      return String(e)
    }
  }, got.data.raw_url)
  expect(fetched).toBe(got.data.size)

  const notFound = answers.filter((a) => a.status === 404 || a.code === 404)
  console.log(`UI actions opened:\n  ${clicked.join('\n  ')}`)
  expect(notFound).toEqual([])
  expect(answers.filter((a) => a.code !== undefined && a.code !== 200 && a.path !== '/api/me')).toEqual([])
  await page.close()
}, 180_000)
