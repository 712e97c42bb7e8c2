/**
 * Two driver instances of one account in one process (e.g. the resource and the backup drive mounted together) must
 * share one token chain: refresh tokens are single-use (docs/api-notes.md §2.1), so two independent rotations would lock one
 * instance out (docs/peers-and-pains.md #8). Every instance's host still receives every rotated token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DriverConfig } from '../../../src/config/index.js'
import { AliyundriveOpen } from '../../../src/driver/aliyundrive-open.js'
import { startEmulator, type EmulatorHandle } from '../../../src/emulator/index.js'

describe('instances of one account share their tokens', () => {
  let emu: EmulatorHandle
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, limits: false, accessTokenGraceSec: 0 })
  })
  afterAll(async () => {
    await emu.close()
  })

  it('two mounts with the same refresh token keep working across expiries, with one refresh each time', async () => {
    const savedA: DriverConfig[] = []
    const savedB: DriverConfig[] = []
    const base = emu.driverConfig()
    const a = new AliyundriveOpen(
      { ...base, drive_type: 'resource' },
      { apiBaseUrl: emu.apiUrl, saveConfig: (c) => void savedA.push({ ...c }) },
    )
    const b = new AliyundriveOpen(
      { ...base, drive_type: 'backup' },
      { apiBaseUrl: emu.apiUrl, saveConfig: (c) => void savedB.push({ ...c }) },
    )
    try {
      await Promise.all([a.init(), b.init()])
      for (let round = 0; round < 3; round++) {
        emu.expireAccessTokens()
        await Promise.all([a.list(a.getRoot()), b.list(b.getRoot()), a.details(), b.details()])
      }
      // One rotation at init and one per expiry, shared: 4 in all, where two independent chains would have broken.
      expect(emu.stats().refreshes).toBe(4)
      expect(a.config.refresh_token).toBe(b.config.refresh_token)
      expect(a.config.AccessToken).toBe(b.config.AccessToken)
      expect(savedA.map((c) => c.refresh_token)).toEqual(savedB.map((c) => c.refresh_token))
      expect(savedA.at(-1)?.refresh_token).toBe(a.config.refresh_token)
      expect(savedA.at(-1)?.drive_type).toBe('resource')
      expect(savedB.at(-1)?.drive_type).toBe('backup')
    } finally {
      await a.drop()
      await b.drop()
    }
  })

  it('an instance created later with the token the first one already rotated away still works', async () => {
    const base = emu.driverConfig()
    const a = new AliyundriveOpen(base, { apiBaseUrl: emu.apiUrl })
    await a.init() // rotates: `refresh_token` is now used up
    const late = new AliyundriveOpen(base, { apiBaseUrl: emu.apiUrl })
    try {
      emu.expireAccessTokens()
      await expect(late.list(late.getRoot())).resolves.toBeInstanceOf(Array)
      await expect(a.list(a.getRoot())).resolves.toBeInstanceOf(Array)
      expect(late.config.refresh_token).toBe(a.config.refresh_token)
    } finally {
      await a.drop()
      await late.drop()
    }
  })

  it('instances of different accounts do not share', async () => {
    const other = emu.createUser()
    const a = new AliyundriveOpen(emu.driverConfig(), { apiBaseUrl: emu.apiUrl })
    const b = new AliyundriveOpen(emu.driverConfig({ refresh_token: other.issueRefreshToken() }), {
      apiBaseUrl: emu.apiUrl,
    })
    try {
      await Promise.all([a.init(), b.init()])
      expect(a.driveInfo?.userId).not.toBe(b.driveInfo?.userId)
      expect(a.config.refresh_token).not.toBe(b.config.refresh_token)
    } finally {
      await a.drop()
      await b.drop()
    }
  })
})

describe('joinChain rules', () => {
  it('a member behind the chain, or older, continues from the chain; a newer authorization restarts the chain', async () => {
    const { joinChain, newMember } = await import('../../../src/auth/token-chain.js')
    const { parseConfig } = await import('../../../src/config/index.js')
    const { makeJwt } = await import('../../helpers/jwt.js')
    const sub = 'c0ffee00c0ffee00c0ffee00c0ffee00'
    const rt = (iat: number) => makeJwt({ sub, iat, exp: iat + 7_776_000 })
    const cfg = (refresh_token: string, AccessToken = '') =>
      parseConfig({ refresh_token, AccessToken, use_online_api: false, client_id: 'c', client_secret: 's' })
    const save = () => undefined
    const first = newMember(cfg(rt(1000), 'at-1'), save)
    const a = joinChain(first)
    a.chain.advance(rt(2000), 'at-2') // a rotation
    const behind = newMember(cfg(rt(1000)), save)
    const b = joinChain(behind)
    expect(b.chain).toBe(a.chain)
    expect(b.chain.configOf(behind).refresh_token).toBe(a.chain.refreshToken)
    expect(b.chain.configOf(behind).AccessToken).toBe('at-2')
    expect(b.chain.isUnsaved(behind)).toBe(true) // its host must save before use
    const reauthorized = rt(3000)
    const newer = newMember(cfg(reauthorized, 'at-new'), save)
    const c = joinChain(newer)
    expect(c.chain.refreshToken).toBe(reauthorized)
    expect(c.chain.isUnsaved(newer)).toBe(false) // its host holds the token it joined with
    expect(a.chain.configOf(first).refresh_token).toBe(reauthorized)
    expect(a.chain.isUnsaved(first)).toBe(true)
    for (const m of [a, b, c]) m.leave()
    const fresh = joinChain(newMember(cfg(rt(500))))
    expect(fresh.chain).not.toBe(a.chain) // the chain was freed with its last member
    fresh.leave()
  })

  it('a member whose host cannot save is never waiting to save; a config is built, never kept', async () => {
    const { joinChain, newMember } = await import('../../../src/auth/token-chain.js')
    const { parseConfig } = await import('../../../src/config/index.js')
    const { makeJwt } = await import('../../helpers/jwt.js')
    const settings = parseConfig({
      refresh_token: makeJwt({ sub: 'feed0000feed0000feed0000feed0000', iat: 10, exp: 99_999_999_999 }),
      use_online_api: false,
      client_id: 'c',
      client_secret: 's',
      root_folder_id: 'folder-1',
    })
    const member = newMember(settings)
    const { chain, leave } = joinChain(member)
    chain.advance('rotated', 'at-rotated')
    expect(chain.isUnsaved(member)).toBe(false)
    const built = chain.configOf(member)
    expect(built).toMatchObject({ refresh_token: 'rotated', AccessToken: 'at-rotated', root_folder_id: 'folder-1' })
    expect(settings.refresh_token).not.toBe('rotated') // the settings object is never written into
    leave()
  })
})
