/**
 * rclone over WebDAV against the demo drive's /Pictures, which holds a Live Photo: `rclone copy` and
 * `rclone check --size-only` succeed because a .livp is listed as the stream it is delivered as
 * (docs/api-notes.md §13.1); before, the listing promised the container's size and rclone hit "unexpected EOF".
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoSeed, livpStreamBytes } from '../../src/emulator/index.js'
import { PASSWORD, startStack, USER, type Stack } from '../helpers/stack.js'
import { requireTool, run, rcloneRemoteEnv } from '../helpers/interop-tools.js'

// With and without `streams_info` in the answers (docs/api-notes.md §13.2: the size is then learned once).
describe.each([true, false])('streams_info in the answers: %s', (livpStreamsInfo) => {
  let s: Stack
  let dir: string
  let env: Record<string, string>

  beforeAll(async () => {
    requireTool('rclone')
    s = await startStack({ seed: demoSeed(), livpStreamsInfo })
    dir = await mkdtemp(join(tmpdir(), 'ado-rclone-livp-'))
    env = await rcloneRemoteEnv({ dir, davUrl: `${s.server.url}/dav`, vendor: 'other', user: USER, password: PASSWORD })
  }, 60_000)
  afterAll(async () => {
    await s?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('rclone copy and check --size-only of /Pictures succeed; the .livp arrives as its jpeg stream', async () => {
    const local = join(dir, 'Pictures')
    const copy = await run('rclone', ['copy', 'T:Pictures', local], { env, timeoutMs: 90_000 })
    expect(copy.code, copy.stderr).toBe(0)
    const check = await run('rclone', ['check', '--size-only', 'T:Pictures', local], { env, timeoutMs: 90_000 })
    expect(check.code, check.stderr).toBe(0)
    expect(check.stderr).toMatch(/0 differences found/)
    const live = s.emu.findByPath('resource', '/Pictures/live.livp')!
    expect((await readFile(join(local, 'live.livp'))).equals(livpStreamBytes(live.content_hash!, 'jpeg'))).toBe(true)
  }, 120_000)
})
