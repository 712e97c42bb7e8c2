/**
 * The start-up settlement of interrupted two-step moves and copies (src/server/webdav/move-repair.ts), in process:
 * an account's intent is written in server paths (move-journal.ts `recorderWithin`), a copy left under its
 * auto-renamed name takes the asked one, a copy whose name was taken stays and nothing is deleted, and each intent
 * is settled once, and a living process's intent is left to it. The kill itself is test/reliability/crash-move.test.ts.
 */
import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Logger } from '../../src/host/types.js'
import { MoveJournal, recorderWithin } from '../../src/server/webdav/move-journal.js'
import { repairMoves } from '../../src/server/webdav/move-repair.js'
import { startStack, type Stack } from '../helpers/stack.js'

let s: Stack
beforeAll(async () => {
  s = await startStack({
    seed: [
      { path: '/team/a/x.txt', content: 'x' },
      { path: '/team/b/x.txt', content: 'older x' },
      { path: '/team/b/held.txt', content: 'held' },
    ],
  })
}, 60_000)
afterAll(() => s?.close())

/** The pid of a process that has already exited: the writer of the intents a start settles. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid

function logger(lines: string[]): Logger {
  const keep = (m: string) => void lines.push(m)
  return { debug: () => undefined, info: keep, warn: keep, error: keep }
}

describe('settling interrupted copies at start', () => {
  it("an account's intent is kept in server paths; the copy takes its name; done once", async () => {
    const fs = s.server.fs
    const journal = new MoveJournal(undefined, deadPid())
    const copy = await fs.copy(await fs.stat('/team/a/x.txt'), await fs.stat('/team/b'), 'rename')
    expect(copy.name).not.toBe('x.txt')
    // As the account whose base path is /team writes it (account-scope.ts).
    recorderWithin(journal, (p) => `/team${p}`).begin({
      kind: 'copy',
      fileId: copy.id,
      srcDir: '/a',
      srcName: 'x.txt',
      dstDir: '/b',
      dstName: 'y.txt',
    })
    expect(journal.pending()).toMatchObject([{ srcDir: '/team/a', dstDir: '/team/b', dstName: 'y.txt' }])
    const lines: string[] = []
    await repairMoves(fs, journal, logger(lines))
    expect((await fs.stat('/team/b/y.txt', true)).id).toBe(copy.id)
    expect(await fs.tryStat(`/team/b/${copy.name}`)).toBeUndefined()
    expect((await fs.stat('/team/a/x.txt')).name).toBe('x.txt')
    expect(lines).toEqual([`interrupted copy of "/team/b/y.txt": renamed "/team/b/${copy.name}" to its target name`])
    expect(journal.pending()).toEqual([])
    journal.close()
  })

  it('a copy whose target name was taken stays where it is; nothing is deleted', async () => {
    const fs = s.server.fs
    const journal = new MoveJournal(undefined, deadPid())
    const copy = await fs.copy(await fs.stat('/team/a/x.txt'), await fs.stat('/team/b'), 'rename')
    const held = await fs.stat('/team/b/held.txt')
    journal.begin({
      kind: 'copy',
      fileId: copy.id,
      srcDir: '/team/a',
      srcName: 'x.txt',
      dstDir: '/team/b',
      dstName: 'held.txt',
    })
    const lines: string[] = []
    await repairMoves(fs, journal, logger(lines))
    expect((await fs.stat(`/team/b/${copy.name}`, true)).id).toBe(copy.id)
    expect((await fs.stat('/team/b/held.txt')).id).toBe(held.id)
    expect(lines[0]).toMatch(/the target name is taken; the object stays at/)
    expect(journal.pending()).toEqual([])
    journal.close()
  })

  it('an intent of a process still running (another serve on the same config) is left to it', async () => {
    const fs = s.server.fs
    const journal = new MoveJournal()
    const copy = await fs.copy(await fs.stat('/team/a/x.txt'), await fs.stat('/team/b'), 'rename')
    const intent = { kind: 'copy', fileId: copy.id, srcDir: '/team/a', srcName: 'x.txt' } as const
    journal.begin({ ...intent, dstDir: '/team/b', dstName: 'mine.txt' })
    await repairMoves(fs, journal)
    expect((await fs.stat(`/team/b/${copy.name}`, true)).id).toBe(copy.id)
    expect(journal.pending()).toMatchObject([{ pid: process.pid, dstName: 'mine.txt' }])
    journal.close()
  })
})
