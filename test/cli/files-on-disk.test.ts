/**
 * Files on disk (RELIABILITY.md "Files on disk"): a config that is a symlink is written through,
 * not replaced; a config that received a token is 0600; a readable one is warned about at start.
 */
import { lstat, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigFile } from '../../src/cli/config-file.js'
import { warnIfConfigReadable } from '../../src/cli/config-mode-warning.js'
import { rewriteConfigFile } from '../../src/login/config-update.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ado-disk-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const addition = { refresh_token: 'old-refresh-token', drive_type: '', use_online_api: true }

describe('a config that is a symlink', () => {
  it('a token save writes the real file and keeps the link', async () => {
    const real = join(dir, 'real.json')
    const link = join(dir, 'link.json')
    await writeFile(real, JSON.stringify(addition), { mode: 0o600 })
    await symlink(real, link)
    const file = await ConfigFile.load(link)
    await file.save({ ...file.config, refresh_token: 'rotated-refresh-token' })
    expect((await lstat(link)).isSymbolicLink()).toBe(true)
    expect(await readlink(link)).toBe(real)
    expect(JSON.parse(await readFile(real, 'utf8')).refresh_token).toBe('rotated-refresh-token')
    // The next process, opening the link, sees the rotated token.
    expect((await (await ConfigFile.load(link)).read()).refresh_token).toBe('rotated-refresh-token')
  })

  it('a login rewrite goes through the link too', async () => {
    const real = join(dir, 'real-login.json')
    const link = join(dir, 'link-login.json')
    await writeFile(real, '{}', { mode: 0o644 })
    await symlink(real, link)
    await rewriteConfigFile(link, () => JSON.stringify({ refresh_token: 'from-login' }))
    expect((await lstat(link)).isSymbolicLink()).toBe(true)
    expect(JSON.parse(await readFile(real, 'utf8'))).toEqual({ refresh_token: 'from-login' })
    expect((await stat(real)).mode & 0o777).toBe(0o600)
  })
})

describe('modes', () => {
  it('a 0644 config is 0600 after a token save', async () => {
    const path = join(dir, 'open.json')
    await writeFile(path, JSON.stringify(addition), { mode: 0o644 })
    const file = await ConfigFile.load(path)
    await file.save({ ...file.config, AccessToken: 'new-access' })
    expect((await stat(path)).mode & 0o777).toBe(0o600)
  })

  it('a group- or world-readable config is warned about at start, a private one is not', async () => {
    const open = join(dir, 'warn.json')
    const closed = join(dir, 'quiet.json')
    await writeFile(open, '{}', { mode: 0o644 })
    await writeFile(closed, '{}', { mode: 0o600 })
    const warnings: string[] = []
    const logger = { debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error() {} }
    await warnIfConfigReadable(open, logger)
    await warnIfConfigReadable(closed, logger)
    expect(warnings).toEqual([expect.stringContaining(`${open} is readable by others (mode 0644)`)])
  })
})
