/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * OpenList's own web UI (npm @openlist-frontend/openlist-frontend) served by `serve` over the emulator's demo drive,
 * driven in headless Chromium the way a user would: login, browse, the text, markdown, image, PDF and video
 * previews with real content, zip listing, new folder, upload (both of the UI's methods), rename, copy, move,
 * delete and search. Over the whole session no /api answer may carry a non-200 code (except /api/me before login)
 * and no error toast may appear. One browser, one page, one sequence: the machine has two cores.
 *
 * `UPDATE_SCREENSHOT=1` writes the README's screenshot (docs/ui-demo.png); otherwise it goes to test/.tmp/.
 */
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.js'
import { demoSeed } from '../../src/emulator/index.js'
import { DEFAULT_LIMITS } from '../../src/emulator/state/rate-limiter.js'
import { startStack, type Stack } from '../helpers/stack.js'

interface ApiCall {
  method: string
  path: string
  status: number
  code: number | undefined
  message?: string
  loggedIn: boolean
}

let s: Stack
let browser: LaunchedBrowser
const calls: ApiCall[] = []
let loggedIn = false

beforeAll(async () => {
  // `serve` with the web UI on, over the demo drive, the emulator answering with AliyunDrive's own rate limits.
  s = await startStack(
    { seed: demoSeed(), limits: DEFAULT_LIMITS },
    { ui: true, proxyDownloads: false, credentials: { user: 'admin', password: 'browser-test-password' } },
  )
  browser = await launchBrowser()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await s?.close()
})

/** Records every /api answer with its envelope code; also counts error toasts in the page. */
async function instrument(page: Page): Promise<void> {
  page.on('response', async (r) => {
    const url = new URL(r.url())
    if (!url.pathname.startsWith('/api/')) return
    const call: ApiCall = {
      method: r.request().method(),
      path: url.pathname,
      status: r.status(),
      code: undefined,
      loggedIn,
    }
    calls.push(call)
    try {
      const body = JSON.parse(await r.text()) as { code?: number; message?: string }
      call.code = body.code
      if (body.code !== 200) call.message = `${body.message} (request: ${r.request().postData()?.slice(0, 300)})`
    } catch {
      // not JSON: left undefined, reported by the final check
    }
  })
  await page.addInitScript(() => {
    const w = window as unknown as { __errorToasts: string[]; __cspViolations: string[] }
    w.__errorToasts = []
    // The page's policy must not cost the UI anything: whatever it blocks in the UI's own session is a failure.
    w.__cspViolations = []
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`),
    )
    new MutationObserver(() => {
      for (const n of document.querySelectorAll('.hope-notification:not([data-seen])')) {
        n.setAttribute('data-seen', '1')
        const icon = n.querySelector('.hope-notification__icon')?.getAttribute('class') ?? ''
        if (/status-(danger|warning)/.test(icon)) w.__errorToasts.push(n.textContent ?? '')
      }
    }).observe(document, { childList: true, subtree: true })
  })
}

const item = (page: Page, name: string) => page.locator(`p.name[title="${name}"]`)

async function contextAction(page: Page, name: string, action: string): Promise<void> {
  await item(page, name).click({ button: 'right' })
  await page.locator('.solid-contextmenu__item', { hasText: action }).first().click()
}

async function dialogOk(page: Page): Promise<void> {
  await page
    .locator('[role=dialog] button', { hasText: /^(OK|Confirm)$/ })
    .last()
    .click()
  await dialogGone(page)
}

/** Modals fade out; clicks meanwhile land on the fading overlay. */
async function dialogGone(page: Page): Promise<void> {
  await page.locator('[role=dialog]').waitFor({ state: 'detached' })
  // The list reloads after a write and resets the selection a context-menu action reads; let it settle first.
  await page.waitForLoadState('networkidle')
}

async function reopen(page: Page, at: string, name: string): Promise<void> {
  await page.goto(at)
  await item(page, name).waitFor()
  await page.waitForLoadState('networkidle')
}

async function openToolbar(page: Page, tool: string): Promise<void> {
  const icon = page.locator(`svg[tips=${tool}]`)
  if (!(await icon.isVisible())) await page.locator('svg.toolbar-toggle').click()
  await icon.click()
}

async function uploadFile(page: Page, method: 'Stream' | 'Form', name: string, body: string): Promise<void> {
  await openToolbar(page, 'upload')
  const current = page.locator('[role=dialog] button', { hasText: /^(Stream|Form)$/ })
  if ((await current.textContent())?.trim() !== method) {
    await current.click()
    await page.locator('[role=option]', { hasText: method }).click()
  }
  await page
    .locator('[role=dialog] input[type=file]:not([webkitdirectory])')
    .setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(body) })
  await expect
    .poll(async () => (await s.server.fs.tryStat(`/Empty/${name}`)) !== undefined, { timeout: 15_000 })
    .toBe(true)
  await page.locator('[role=dialog] button[aria-label]').first().click()
  await dialogGone(page)
}

async function driveText(path: string): Promise<string> {
  const obj = await s.server.fs.stat(path, true)
  const link = await s.server.fs.link(obj)
  return (await fetch(link.url)).text()
}

describe('OpenList web UI on the demo drive', () => {
  it('loads, logs in, previews, writes and searches with no error', async () => {
    const page = await browser.browser.newPage({ viewport: { width: 1280, height: 800 } })
    page.setDefaultTimeout(15_000)
    await instrument(page)
    const url = s.server.url
    try {
      await session(page, url)
    } catch (e) {
      // What the page showed when a step failed, for whoever reads the failure.
      mkdirSync('test/.tmp', { recursive: true })
      await page.screenshot({ path: 'test/.tmp/ui-failure.png' }).catch(() => undefined)
      console.log('API calls until the failure:', JSON.stringify(calls.slice(-8)))
      throw e
    }
    const toasts = await page.evaluate(() => (window as unknown as { __errorToasts: string[] }).__errorToasts)
    const blocked = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)
    const bad = calls.filter((c) => c.status !== 200 || (c.code !== 200 && !(c.path === '/api/me' && !c.loggedIn)))
    // The report lists what the UI called; printed so a run shows it.
    const seen = [
      ...new Set(
        calls.map(
          (c) => `${c.method} ${c.path} → HTTP ${c.status}, code ${c.code}${c.loggedIn ? '' : ' (before login)'}`,
        ),
      ),
    ].sort()
    console.log(`API calls made by the UI:\n  ${seen.join('\n  ')}`)
    expect(bad).toEqual([])
    expect(toasts).toEqual([])
    expect(blocked).toEqual([])
    await page.close()
  }, 180_000)
})

async function session(page: Page, url: string): Promise<void> {
  {
    // The login page, with our title.
    await page.goto(`${url}/`)
    await page.locator('input[type=password]').waitFor()
    expect(await page.title()).toBe('Login to the aliyundrive-open')

    // Login (once: the server may throttle repeated logins), then browse.
    await page.locator('input').first().fill(s.user)
    await page.locator('input[type=password]').fill(s.password)
    await page.getByRole('button', { name: /login/i }).click()
    await item(page, 'Documents').waitFor()
    loggedIn = true
    await item(page, 'Documents').click()
    await item(page, 'readme.txt').click()

    // Text (read through /p/), markdown, image, PDF, video.
    await page.getByText('Welcome to the aliyundrive-open demo drive.').waitFor()
    await page.goto(`${url}/Documents/notes.md`)
    await page.locator('h1', { hasText: 'Demo notes' }).waitFor()
    await page.goto(`${url}/Pictures/photo.jpg`)
    await page.waitForFunction(() =>
      [...document.images].some((i) => i.src.includes('/d/Pictures/photo.jpg') && i.naturalWidth === 640),
    )
    await page.goto(`${url}/Documents/report.pdf`)
    // The PDF viewer renders pages as images inside its shadow root once it has fetched and parsed the bytes.
    await page.waitForFunction(() =>
      [...(document.querySelector('embedpdf-container')?.shadowRoot?.querySelectorAll('img') ?? [])].some(
        (i) => i.naturalWidth > 100,
      ),
    )
    await page.goto(`${url}/Videos/sample.mp4`)
    await page.locator('text=Aliyun Video Player').waitFor()
    await page.waitForFunction(() => {
      const v = document.querySelector('video')
      return v !== null && v.readyState >= 2 && v.videoWidth === 320
    })

    // Zip listing, read with Range requests through the link.
    await page.goto(`${url}/Archives/bundle.zip`)
    await page.getByText('bundle', { exact: true }).click()
    await page.getByText('docs', { exact: true }).waitFor()
    await page.getByText('images', { exact: true }).waitFor()

    // New folder, uploads (Stream = /api/fs/put, Form = /api/fs/form), rename, copy, move, delete.
    await page.goto(`${url}/Empty`)
    await openToolbar(page, 'mkdir')
    await page.locator('[role=dialog] input').fill('made-by-ui')
    await dialogOk(page)
    await item(page, 'made-by-ui').waitFor()
    expect((await s.server.fs.stat('/Empty/made-by-ui', true)).isFolder).toBe(true)
    await uploadFile(page, 'Stream', 'streamed.txt', 'uploaded with the Stream method\n')
    await uploadFile(page, 'Form', 'form.txt', 'uploaded with the Form method\n')
    expect(await driveText('/Empty/streamed.txt')).toBe('uploaded with the Stream method\n')
    expect(await driveText('/Empty/form.txt')).toBe('uploaded with the Form method\n')

    // The UI refreshes a listing again some time after a write, which clears the selection a context action reads:
    // each action starts from a freshly loaded folder.
    await reopen(page, `${url}/Empty`, 'form.txt')
    await contextAction(page, 'form.txt', 'Rename')
    // The dialog fills in the old name after it opens; typing before that would be appended to it.
    await page.waitForFunction(
      () => document.querySelector<HTMLInputElement>('[role=dialog] input')?.value === 'form.txt',
    )
    await page.locator('[role=dialog] input').first().fill('renamed.txt')
    await dialogOk(page)
    await item(page, 'renamed.txt').waitFor()

    await reopen(page, `${url}/Empty`, 'renamed.txt')
    await contextAction(page, 'renamed.txt', 'Copy')
    await page.locator('[role=dialog] p', { hasText: /^Documents$/ }).click()
    await dialogOk(page)
    await expect
      .poll(async () => (await s.server.fs.tryStat('/Documents/renamed.txt')) !== undefined, { timeout: 15_000 })
      .toBe(true)

    await reopen(page, `${url}/Empty`, 'streamed.txt')
    await contextAction(page, 'streamed.txt', 'Move')
    await page.locator('[role=dialog] p', { hasText: /^Music$/ }).click()
    await dialogOk(page)
    await item(page, 'streamed.txt').waitFor({ state: 'detached' })
    expect(await driveText('/Music/streamed.txt')).toBe('uploaded with the Stream method\n')

    await reopen(page, `${url}/Empty`, 'renamed.txt')
    await contextAction(page, 'renamed.txt', 'Delete')
    await dialogOk(page)
    await item(page, 'renamed.txt').waitFor({ state: 'detached' })
    expect(await s.server.fs.tryStat('/Empty/renamed.txt')).toBeUndefined()
    expect(await driveText('/Documents/renamed.txt')).toBe('uploaded with the Form method\n')

    // Search (AliyunDrive's openFile/search through the driver).
    await page.goto(`${url}/`)
    await item(page, 'Documents').waitFor()
    await page.keyboard.press('Control+k')
    await page.locator('[role=dialog] input').fill('chart')
    await page.keyboard.press('Enter')
    await page.locator('[role=dialog]').getByText('chart.png').waitFor()

    // The README's picture: the demo drive's top folder, once the toasts are gone.
    await page.goto(`${url}/`)
    await item(page, 'Documents').waitFor()
    await page.locator('.hope-notification').waitFor({ state: 'detached' })
    await page.waitForLoadState('networkidle')
    await page.screenshot({ path: screenshotPath(), animations: 'disabled' })
  }
}

function screenshotPath(): string {
  if (process.env.UPDATE_SCREENSHOT === '1') return 'docs/ui-demo.png'
  mkdirSync('test/.tmp', { recursive: true })
  return 'test/.tmp/ui-demo.png'
}
