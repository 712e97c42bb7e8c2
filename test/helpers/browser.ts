/**
 * Headless Chromium for the browser tests: Debian's `chromium` (installed by .ci/run) driven by playwright-core.
 * A missing browser FAILS the test with the install command, never skips it. The flags keep Chromium off the
 * network (this machine has none beyond loopback); playwright's launch() gives every browser a fresh temporary profile,
 * so runs are independent.
 */
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export interface LaunchedBrowser {
  browser: Browser
  close(): Promise<void>
}

export async function launchBrowser(): Promise<LaunchedBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}; install it with: apt-get install -y chromium (the browser tests need it)`,
    )
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  return {
    browser,
    close: () => browser.close(),
  }
}
