/**
 * A WebDAV MOVE that changes folder and name takes two calls: into the folder (auto-renamed on a clash), then a
 * rename (src/server/webdav/copy-move.ts). `serve` is SIGKILLed exactly between them: the emulator holds the rename
 * call unanswered and unapplied, and the kill comes once it has arrived. The next start settles the journaled intent
 * (src/server/webdav/move-repair.ts): the object ends under the asked name, with its id and bytes, or where it came
 * from when the asked name was taken meanwhile (RELIABILITY.md "Files on disk").
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { startLongRunning } from '../helpers/cli.js'
import { call } from '../helpers/emulator.js'

const UPDATE = '/adrive/v1.0/openFile/update'
const AUTH = `Basic ${Buffer.from('admin:pw').toString('base64')}`
let dir: string
let emu: EmulatorHandle
let token: string
let drive: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ado-crash-move-'))
  emu = await startEmulator({
    port: 0,
    limits: false,
    seed: [
      { path: '/a/report.txt', content: 'the report' },
      { path: '/a/plan.txt', content: 'the plan' },
      { path: '/b', folder: true },
    ],
  })
  token = emu.issueAccessToken()
  drive = emu.driveIds.resource ?? emu.driveIds.default
}, 120_000)
afterAll(async () => {
  await emu?.close()
  await rm(dir, { recursive: true, force: true })
})

/** The object at `path` in the emulator as it is now (id and content), or undefined. */
async function at(path: string): Promise<{ id: string; content: string } | undefined> {
  const r = await call(emu, token, '/adrive/v1.0/openFile/get_by_path', { drive_id: drive, file_path: path })
  if (r.status !== 200) return undefined
  const url = await call(emu, token, '/adrive/v1.0/openFile/getDownloadUrl', {
    drive_id: drive,
    file_id: r.body.file_id,
  })
  return { id: r.body.file_id as string, content: await (await fetch(url.body.url as string)).text() }
}

async function serve(config: string) {
  const args = ['--config', config, '--api-url', emu.apiUrl, 'serve', '--port', '0', '--password', 'pw', '--no-ui']
  const s = await startLongRunning(args, /Press Ctrl-C/, 60_000)
  const url = /WebDAV\s*: (http:\/\/\S+?)\/dav/.exec(s.output())![1]!
  return { ...s, url }
}

/** Sends the MOVE and SIGKILLs serve once the rename (the second step) has reached the emulator. */
async function killBetweenSteps(config: string, from: string, to: string): Promise<void> {
  emu.setFaults({ holdPaths: [UPDATE] })
  const s = await serve(config)
  const renamesBefore = emu.stats().calls[UPDATE] ?? 0
  const move = fetch(`${s.url}/dav${from}`, {
    method: 'MOVE',
    headers: { Authorization: AUTH, Destination: `${s.url}/dav${to}` },
  }).then(
    (r) => `answered ${r.status}`,
    () => 'cut off',
  )
  while ((emu.stats().calls[UPDATE] ?? 0) === renamesBefore) await new Promise((r) => setTimeout(r, 1))
  s.signal('SIGKILL')
  expect(await move).toBe('cut off')
  emu.setFaults({})
}

describe('SIGKILL between the two steps of a MOVE', () => {
  it('the next start puts the object under its target name, same id, same bytes', async () => {
    const config = join(dir, 'one.json')
    await writeFile(config, JSON.stringify(emu.driverConfig()), { mode: 0o600 })
    const before = (await at('/a/report.txt'))!
    await killBetweenSteps(config, '/a/report.txt', '/b/final.txt')
    // The crash state: moved into /b under its old name, the rename never applied.
    expect(await at('/b/report.txt')).toEqual(before)
    expect(await at('/b/final.txt')).toBeUndefined()

    const again = await serve(config)
    try {
      expect(await at('/b/final.txt')).toEqual(before)
      expect(await at('/b/report.txt')).toBeUndefined()
      expect(await at('/a/report.txt')).toBeUndefined()
      expect(again.output()).toMatch(/interrupted move of "\/b\/final\.txt": renamed "\/b\/report\.txt"/)
    } finally {
      await again.stop()
    }
  }, 120_000)

  it('when the target name was taken meanwhile, the object goes back where it came from; nothing is deleted', async () => {
    const config = join(dir, 'two.json')
    await writeFile(config, JSON.stringify(emu.driverConfig()), { mode: 0o600 })
    const before = (await at('/a/plan.txt'))!
    await killBetweenSteps(config, '/a/plan.txt', '/b/taken.txt')
    const folderB = await call(emu, token, '/adrive/v1.0/openFile/get_by_path', { drive_id: drive, file_path: '/b' })
    const created = await call(emu, token, '/adrive/v1.0/openFile/create', {
      drive_id: drive,
      parent_file_id: folderB.body.file_id,
      name: 'taken.txt',
      type: 'folder',
      check_name_mode: 'refuse',
    })
    expect(created.status).toBe(200)

    const again = await serve(config)
    try {
      expect(await at('/a/plan.txt')).toEqual(before)
      expect(await at('/b/plan.txt')).toBeUndefined()
      const holder = await call(emu, token, '/adrive/v1.0/openFile/get_by_path', {
        drive_id: drive,
        file_path: '/b/taken.txt',
      })
      expect(holder.body.file_id).toBe(created.body.file_id)
    } finally {
      await again.stop()
    }
  }, 120_000)
})
