/** `--config FILE` write-back: the file's shape and other keys survive; only changed values are written; atomically. */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigFile } from '../../src/cli/config-file.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ado-config-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const addition = { refresh_token: 'old-refresh-token', drive_type: '', custom_key: 'kept', use_online_api: true }

describe('ConfigFile', () => {
  it('a plain addition: changed keys written, untouched keys kept as they were (drive_type "" stays "")', async () => {
    const path = join(dir, 'addition.json')
    await writeFile(path, JSON.stringify(addition), { mode: 0o640 })
    const file = await ConfigFile.load(path)
    await file.save({ ...file.config, refresh_token: 'new-refresh-token', AccessToken: 'new-access' })
    const doc = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
    expect(doc).toEqual({ ...addition, refresh_token: 'new-refresh-token', AccessToken: 'new-access' })
    expect((await stat(path)).mode & 0o777).toBe(0o600) // it holds tokens: 0600 after any save
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })

  it('a storage row with addition as a JSON string stays one', async () => {
    const path = join(dir, 'storage.json')
    await writeFile(
      path,
      JSON.stringify({ id: 3, mount_path: '/ali', driver: 'AliyundriveOpen', addition: JSON.stringify(addition) }),
    )
    const file = await ConfigFile.load(path)
    expect(file.addition()).toEqual(addition)
    await file.save({ ...file.config, refresh_token: 'r2' })
    await file.save({ ...file.config, refresh_token: 'r3' })
    const doc = JSON.parse(await readFile(path, 'utf8')) as { id: number; mount_path: string; addition: string }
    expect(doc).toMatchObject({ id: 3, mount_path: '/ali' })
    expect(JSON.parse(doc.addition)).toEqual({ ...addition, refresh_token: 'r3' })
  })

  it('a storage row with addition as an object stays one; access_token alias is updated too', async () => {
    const path = join(dir, 'storage-obj.json')
    await writeFile(path, JSON.stringify({ mount_path: '/x', addition: { ...addition, access_token: 'a1' } }))
    const file = await ConfigFile.load(path)
    await file.save({ ...file.config, AccessToken: 'a2' })
    const doc = JSON.parse(await readFile(path, 'utf8')) as { addition: Record<string, unknown> }
    expect(doc.addition).toMatchObject({ access_token: 'a2', AccessToken: 'a2' })
  })

  it('unreadable or invalid files give INVALID_CONFIG errors', async () => {
    await expect(ConfigFile.load(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'INVALID_CONFIG' })
    const bad = join(dir, 'bad.json')
    await writeFile(bad, '{nope')
    await expect(ConfigFile.load(bad)).rejects.toMatchObject({ code: 'INVALID_CONFIG' })
  })

  it('save writes over the file as it is now (keys another process wrote survive) and never replaces a newer refresh token', async () => {
    const jwt = (iat: number) => `h.${Buffer.from(JSON.stringify({ sub: 'u', iat })).toString('base64url')}.s`
    const path = join(dir, 'shared.json')
    await writeFile(path, JSON.stringify({ ...addition, refresh_token: jwt(100) }))
    const file = await ConfigFile.load(path)
    // Another process rotates to a newer token and adds a key meanwhile.
    await writeFile(
      path,
      JSON.stringify({ ...addition, refresh_token: jwt(200), AccessToken: 'their-access', other_process: 1 }),
    )
    await expect(file.read()).resolves.toMatchObject({ refresh_token: jwt(200), AccessToken: 'their-access' })
    await file.save({ ...file.config, refresh_token: jwt(150), AccessToken: 'stale-access', root_folder_id: 'abc' })
    const doc = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
    expect(doc).toMatchObject({
      refresh_token: jwt(200),
      AccessToken: 'their-access',
      other_process: 1,
      root_folder_id: 'abc',
    })
    await file.save({ ...file.config, refresh_token: jwt(300), AccessToken: 'newest' })
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({
      refresh_token: jwt(300),
      AccessToken: 'newest',
      other_process: 1,
    })
  })

  it('a save inside the locked rotation is not queued behind a save from outside that waits for the lock', async () => {
    const path = join(dir, 'no-deadlock.json')
    await writeFile(path, JSON.stringify(addition))
    const file = await ConfigFile.load(path, { waitMs: 3_000 })
    let enter!: () => void
    const entered = new Promise<void>((r) => (enter = r))
    let proceed!: () => void
    const gate = new Promise<void>((r) => (proceed = r))
    const rotation = file.withLock(async () => {
      enter()
      await gate
      await file.save({ ...file.config, refresh_token: 'from-rotation' })
      return 'rotated'
    })
    await entered
    const outside = file.save({ ...file.config, refresh_token: 'from-outside' }) // waits for the rotation's lock
    proceed()
    await expect(rotation).resolves.toBe('rotated')
    await expect(outside).resolves.toBeUndefined()
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ refresh_token: 'from-outside' })
  })
})
