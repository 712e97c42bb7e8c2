/** cadaver smoke: commands piped on stdin (docs/host-notes.md §4), credentials from a ~/.netrc in a temp HOME. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startStack, USER, type Stack } from '../helpers/stack.js'
import { requireTool, run } from '../helpers/interop-tools.js'

let s: Stack
let home: string
const PASSWORD = 'cadaver-pw'

beforeAll(async () => {
  // .netrc cannot hold a password with spaces (the shared test password has one).
  s = await startStack({}, { credentials: { user: USER, password: PASSWORD } })
  home = await mkdtemp(join(tmpdir(), 'ado-cadaver-'))
  await writeFile(join(home, '.netrc'), `machine 127.0.0.1\nlogin ${USER}\npassword ${PASSWORD}\n`, { mode: 0o600 })
  await writeFile(join(home, 'f.txt'), 'cadaver content\n')
})
afterAll(async () => {
  await s?.close()
  if (home) await rm(home, { recursive: true, force: true })
})

it('mkcol, put, ls, move, get, delete through cadaver', async () => {
  requireTool('cadaver')
  const script = [
    'mkcol d1',
    'put f.txt d1/f.txt',
    'ls d1',
    'move d1/f.txt d1/g.txt',
    'get d1/g.txt back.txt',
    'ls d1',
    'delete d1/g.txt',
    'rmcol d1',
    'quit',
    '',
  ].join('\n')
  const r = await run('cadaver', [s.server.davUrl], {
    input: script,
    env: { HOME: home },
    cwd: home,
    timeoutMs: 60_000,
  })
  const out = r.stdout + r.stderr
  expect(out).not.toMatch(/failed|Could not|not authorized/i)
  expect(out).toMatch(/g\.txt/)
  expect(await readFile(join(home, 'back.txt'), 'utf8')).toBe('cadaver content\n')
  expect(out).toMatch(/Deleting collection `d1': succeeded/)
}, 90_000)

it('lock, propset, propget, unlock through cadaver', async () => {
  requireTool('cadaver')
  const script = [
    'put f.txt locked.txt',
    'lock locked.txt',
    'discover locked.txt',
    'propset locked.txt colour vermilion',
    'propget locked.txt colour',
    'unlock locked.txt',
    'discover locked.txt',
    'quit',
    '',
  ].join('\n')
  const r = await run('cadaver', [s.server.davUrl], {
    input: script,
    env: { HOME: home },
    cwd: home,
    timeoutMs: 60_000,
  })
  const out = r.stdout + r.stderr
  expect(out).not.toMatch(/failed|Could not|not authorized/i)
  expect(out).toMatch(/Locking `locked\.txt': succeeded/)
  expect(out).toMatch(/Setting property on `locked\.txt': succeeded/)
  expect(out).toMatch(/Value of colour is: vermilion/)
  expect(out).toMatch(/Unlocking `locked\.txt': succeeded/)
  expect(out).toMatch(/Lock token <urn:uuid:[0-9a-f-]+>:\n\s+Depth 0 on `[^']*\/dav\/locked\.txt'\n\s+Scope: exclusive/)
  expect(out).toMatch(/Discovering locks on `locked\.txt': no locks found/)
}, 90_000)
