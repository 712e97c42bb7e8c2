/**
 * File commands on a file of several storages. The global `--mount <mount_path>` picks one (its
 * rotated token written into its own row); without it, the error lists the mounts and names the flag.
 */
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli } from '../helpers/cli.js'
import { startCliEmulator, type CliEmulator } from '../helpers/cli-emulator.js'

let stack: CliEmulator
let cfg: string
let base: string[]

beforeAll(async () => {
  stack = await startCliEmulator(
    [
      { path: '/films/a.mkv', content: 'film' },
      { path: '/photos/b.jpg', content: 'photo', drive: 'backup' },
    ],
    (e) => {
      const row = (mount: string, driveType: string) => ({
        mount_path: mount,
        driver: 'AliyundriveOpen',
        addition: JSON.stringify(e.driverConfig({ drive_type: driveType })),
      })
      return JSON.stringify([row('/ali/resource', 'resource'), row('/ali/backup', 'backup')], null, 2)
    },
    'storages.json',
  )
  ;({ configPath: cfg, base } = stack)
}, 120_000)

afterAll(() => stack?.close())

describe('--mount picks one storage of a file of several', () => {
  it('without it, the error lists the mounts and names the flag', async () => {
    const r = await cli([...base, 'ls', '/'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('pick it with --mount <mount_path>')
    expect(r.stderr).toContain('/ali/resource, /ali/backup')
  })

  it('with it, the command works on that storage and its rotated token goes into its own row', async () => {
    const before = JSON.parse(await readFile(cfg, 'utf8')) as Array<{ addition: string }>
    const backup = await cli([...base, '--mount', '/ali/backup', 'ls', '/'])
    expect(backup.code, backup.stderr).toBe(0)
    expect(backup.stdout).toBe('photos/\n')
    const resource = await cli([...base, '--mount', '/ali/resource', 'ls', '/'])
    expect(resource.code, resource.stderr).toBe(0)
    expect(resource.stdout).toBe('films/\n')
    const after = JSON.parse(await readFile(cfg, 'utf8')) as Array<{ addition: string }>
    const token = (rows: Array<{ addition: string }>, i: number) =>
      (JSON.parse(rows[i]!.addition) as { refresh_token: string }).refresh_token
    expect(token(after, 0)).not.toBe(token(before, 0))
    expect(token(after, 1)).not.toBe(token(before, 1))
  })

  it('a mount the file does not have is named, with the ones it has', async () => {
    const r = await cli([...base, '--mount', '/ali/none', 'ls', '/'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--mount /ali/none: ')
    expect(r.stderr).toContain('/ali/resource, /ali/backup')
  })
})
