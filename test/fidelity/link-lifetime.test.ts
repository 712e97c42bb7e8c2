/** Real download links live 900 s; a URL handed to a client keeps at least three quarters of its given lifetime. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LinkCache } from '../../src/driver/link-cache.js'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'

let emu: EmulatorHandle | undefined
afterEach(async () => {
  vi.restoreAllMocks()
  await emu?.close()
  emu = undefined
})

describe('link cache', () => {
  it('never hands out a 900 s link with less than 675 s left', async () => {
    const t0 = Date.UTC(2025, 0, 1)
    let now = t0
    vi.spyOn(Date, 'now').mockImplementation(() => now)
    const cache = new LinkCache()
    let fetched = 0
    const fetch = async () => ({ url: `https://data.test/${++fetched}`, expiresAt: new Date(Date.now() + 900_000) })
    expect((await cache.get('f', fetch)).url).toBe('https://data.test/1')
    now = t0 + 224_000 // 676 s left: still fine
    expect((await cache.get('f', fetch)).url).toBe('https://data.test/1')
    now = t0 + 226_000 // 674 s left: below three quarters, a fresh link instead
    const link = await cache.get('f', fetch)
    expect(link.url).toBe('https://data.test/2')
    expect(link.expiresAt!.getTime() - now).toBeGreaterThanOrEqual(0.75 * 900_000)
  })
})

describe('emulator download links', () => {
  async function linkLifetime(e: EmulatorHandle): Promise<number> {
    const token = e.issueAccessToken()
    const drive = e.driveIds.resource!
    const file = e.findByPath('resource', '/a.txt')!
    const res = await fetch(`${e.apiUrl}/adrive/v1.0/openFile/getDownloadUrl`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ drive_id: drive, file_id: file.file_id, expire_sec: 14400 }),
    })
    const body = (await res.json()) as { url: string }
    return Number(new URL(body.url).searchParams.get('x-oss-expires')) - Math.floor(Date.now() / 1000)
  }

  it('live 900 s by default, as real ones do for ordinary apps, whatever expire_sec asks', async () => {
    emu = await startEmulator({ limits: false, seed: [{ path: '/a.txt', content: 'x' }] })
    const life = await linkLifetime(emu)
    expect(life).toBeGreaterThan(890)
    expect(life).toBeLessThanOrEqual(900)
  })

  it('live longer with the knob', async () => {
    emu = await startEmulator({ limits: false, downloadUrlTtlSec: 14_400, seed: [{ path: '/a.txt', content: 'x' }] })
    expect(await linkLifetime(emu)).toBeGreaterThan(14_000)
  })
})
