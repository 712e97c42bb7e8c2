/// <reference lib="dom" />
/**
 * A file in the drive never runs script as our origin in the web UI (RELIABILITY.md, "A drive file never runs script
 * in the web UI"). OpenList's real UI previews HTML in an `<iframe srcdoc>` without `sandbox` (an `.html` file, and an
 * HTML file inside a zip through the archive previewer), renders raw HTML inside markdown into the page itself, and
 * shows `.HTM` and `.svg` files its own way. Each file here carries the same attack — an inline script and an inline
 * handler that read the token from localStorage, write it onto the top window and create a folder through the API —
 * and each is opened the way a user would, logged in. The page's Content-Security-Policy must block all of it; before
 * it, the `.html`, zip and markdown cases ran (top.__pwned held the token and `/pwned-*` folders appeared).
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.js'
import { startStack, type Stack } from '../helpers/stack.js'
import { storedZip } from '../helpers/stored-zip.js'

/** What the attack does once it runs: read the token, mark the top window, and reach the API with the token. */
function attack(kind: string): string {
  return (
    `top.__pwned=(top.__pwned||'')+'${kind}:'+localStorage.getItem('token')+';';` +
    `fetch('/api/fs/mkdir',{method:'POST',headers:{Authorization:localStorage.getItem('token')||'',` +
    `'Content-Type':'application/json'},body:JSON.stringify({path:'/pwned-${kind}'})})`
  )
}

const page = (kind: string) =>
  `<p>hostile page shown</p><script>${attack(`${kind}-script`)}</script>` +
  `<img src="/no-such-image" onerror="${attack(`${kind}-handler`)}">`

const SVG =
  `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><text y="20">svg shown</text>` +
  `<script>${attack('svg-script')}</script><rect width="10" height="10" onload="${attack('svg-handler')}"/></svg>`

let s: Stack
let browser: LaunchedBrowser
let tab: Page
/** Every request any frame of the page made, as "METHOD path". */
const requests: string[] = []

beforeAll(async () => {
  s = await startStack(
    {
      seed: [
        { path: '/H', folder: true },
        { path: '/H/evil.html', content: page('html') },
        { path: '/H/EVIL.HTM', content: page('htm') },
        { path: '/H/evil.svg', content: SVG },
        { path: '/H/evil.md', content: `# Notes\n\n${page('md')}\n` },
        { path: '/H/evil.zip', content: storedZip({ 'inner/page.html': page('zip') }) },
      ],
    },
    { ui: true },
  )
  browser = await launchBrowser()
  tab = await browser.browser.newPage()
  tab.setDefaultTimeout(15_000)
  tab.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`))
  // In every frame, the srcdoc ones included: count what the policy blocked, on the top window where the test reads.
  await tab.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const t = window.top as unknown as { __blocked?: string[] }
      t.__blocked = [...(t.__blocked ?? []), e.effectiveDirective]
    })
  })
  // Logged in, as the owner who opens the file would be.
  await tab.goto(`${s.server.url}/`)
  await tab.evaluate((token) => localStorage.setItem('token', token), s.server.token)
}, 60_000)

beforeEach(() => {
  requests.length = 0
})

afterAll(async () => {
  await browser?.close()
  await s?.close()
})

/** Waits until both the inline script and the inline handler were either blocked or ran. */
async function settled(): Promise<void> {
  await tab.waitForFunction(() => {
    const t = window as unknown as { __blocked?: string[]; __pwned?: string }
    const blocked = (t.__blocked ?? []).filter((d) => d.startsWith('script-src')).length
    return blocked >= 2 || (t.__pwned ?? '').includes('handler')
  })
}

async function expectNothingRan(kind: string): Promise<void> {
  expect(await tab.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined()
  expect(requests.filter((r) => r.startsWith('POST /api/fs/mkdir'))).toEqual([])
  expect(await s.server.fs.tryStat(`/pwned-${kind}-script`)).toBeUndefined()
  expect(await s.server.fs.tryStat(`/pwned-${kind}-handler`)).toBeUndefined()
}

describe('drive content in the web UI runs no script of ours', () => {
  it('.html in the HTML previewer (an iframe srcdoc)', async () => {
    await tab.goto(`${s.server.url}/H/evil.html`)
    await tab.frameLocator('iframe').getByText('hostile page shown').waitFor()
    await settled()
    await expectNothingRan('html')
  })

  it('an HTML file inside a zip, in the archive previewer', async () => {
    await tab.goto(`${s.server.url}/H/evil.zip`)
    await tab.getByText('inner', { exact: true }).click()
    await tab.getByText('page.html', { exact: true }).click()
    await tab.frameLocator('iframe').getByText('hostile page shown').waitFor()
    await settled()
    await expectNothingRan('zip')
  })

  it('markdown with raw HTML, rendered into the page itself', async () => {
    await tab.goto(`${s.server.url}/H/evil.md`)
    await tab.getByText('hostile page shown', { exact: true }).waitFor()
    // The image has failed, so its handler (if the renderer kept it) was blocked or ran by now.
    await tab.waitForFunction(() => [...document.images].some((i) => i.src.endsWith('/no-such-image') && i.complete))
    await expectNothingRan('md')
  })

  it('.HTM (upper case) as the UI shows it', async () => {
    await tab.goto(`${s.server.url}/H/EVIL.HTM`)
    await tab
      .getByText(/hostile page shown/)
      .first()
      .waitFor()
    await expectNothingRan('htm')
  })

  it('.svg as the UI shows it', async () => {
    const shown = tab.waitForResponse((r) => new URL(r.url()).pathname === '/d/H/evil.svg')
    await tab.goto(`${s.server.url}/H/evil.svg`)
    await shown
    await tab.waitForLoadState('networkidle')
    await expectNothingRan('svg')
  })

  it('the page itself carries the policy, with a fresh nonce per answer', async () => {
    const a = await fetch(`${s.server.url}/H/evil.html`)
    const b = await fetch(`${s.server.url}/`)
    const policy = a.headers.get('content-security-policy') ?? ''
    expect(policy).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/)
    expect(policy).not.toMatch(/script-src[^;]*('self'|'unsafe-inline'|https?:)/)
    expect(b.headers.get('content-security-policy')).not.toBe(policy)
    const nonce = /'nonce-([^']+)'/.exec(policy)![1]!
    const html = await a.text()
    // Every script element of the page carries it: the UI runs under the policy, not beside it.
    expect(html.match(/<script\b[^>]*>/g)!.every((tag) => tag.includes(`nonce="${nonce}"`))).toBe(true)
  })
})
