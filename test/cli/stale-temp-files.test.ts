import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ConfigFile } from '../../src/cli/config-file.js'
import { makeJwt } from '../helpers/jwt.js'

const DEAD_PID = 2 ** 22 + 12345 // above Linux's pid_max default: never alive
const tokens = new Map<number, string>()
/** One fixed token per iat (makeJwt signs randomly). */
const rt = (iat: number) =>
  tokens.get(iat) ?? (tokens.set(iat, makeJwt({ sub: 'abc', iat, exp: iat + 7_776_000 })), tokens.get(iat)!)
const cfg = (refresh_token: string) =>
  JSON.stringify({ refresh_token, use_online_api: false, client_id: 'c', client_secret: 's' })

describe('temp files left by a killed config writer', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ado-stale-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('adopts a complete temp file holding a newer refresh token (killed between fsync and rename)', async () => {
    const path = join(dir, 'ali.json')
    await writeFile(path, cfg(rt(1000)))
    await writeFile(join(dir, `.ali.json.${DEAD_PID}.aaaa1111.tmp`), cfg(rt(2000)))
    await writeFile(join(dir, `.ali.json.${DEAD_PID}.bbbb2222.tmp`), cfg(rt(1500)))
    const file = await ConfigFile.load(path)
    expect(file.config.refresh_token).toBe(rt(2000))
    expect(JSON.parse(await readFile(path, 'utf8')).refresh_token).toBe(rt(2000))
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })

  it('removes torn or older temp files and keeps the config; leaves a live writer alone', async () => {
    const path = join(dir, 'ali.json')
    await writeFile(path, cfg(rt(3000)))
    await writeFile(join(dir, `.ali.json.${DEAD_PID}.cccc3333.tmp`), cfg(rt(2000)))
    await writeFile(join(dir, `.ali.json.${DEAD_PID}.dddd4444.tmp`), cfg(rt(4000)).slice(0, 40))
    await writeFile(join(dir, `.ali.json.${process.pid}.eeee5555.tmp`), cfg(rt(9000)))
    const file = await ConfigFile.load(path)
    expect(file.config.refresh_token).toBe(rt(3000))
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([`.ali.json.${process.pid}.eeee5555.tmp`])
  })
})
