/**
 * `serve` without a config keeps its demo drive (files, tokens, password, secret) in a state folder
 * under XDG_STATE_HOME, prints where and a CLI line that reaches it as printed; `--fresh` starts over; a second demo
 * server at once is refused instead of writing one state over the other. HOME and XDG_STATE_HOME are a temporary
 * folder of this file's own.
 */
import { spawnSync } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { demoStateDir } from '../../src/cli/demo-drive.js'
import { cli, startLongRunning } from '../helpers/cli.js'

let home: string
let env: Record<string, string>

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'ado-demo-home-'))
  env = { HOME: home, XDG_STATE_HOME: join(home, 'state') }
}, 120_000)

const field = (out: string, name: string) => new RegExp(`${name}\\s*: (.+)`).exec(out)?.[1]?.trim()

/** Runs a printed command line through a shell, as a user pasting it would. */
function shell(line: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('sh', ['-c', line], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('the demo drive keeps what you put in it', () => {
  it('survives a restart; the printed CLI line works; a second demo is refused; --fresh starts over', async () => {
    const first = await startLongRunning(['serve', '--port', '0'], /Press Ctrl-C/, 60_000, env)
    const out1 = first.output()
    const dir = join(home, 'state', 'aliyundrive-open')
    expect(field(out1, 'demo kept in')).toContain(dir)
    const cliLine = field(out1, 'CLI on it')!
    expect(cliLine).toMatch(/ ls \/$/)
    const password = field(out1, 'password')
    const token = field(out1, 'API token')

    const ls = shell(cliLine)
    expect(ls.code, ls.stderr).toBe(0)
    expect(ls.stdout).toContain('Documents/')
    const local = join(home, 'kept.txt')
    await writeFile(local, 'kept across restarts\n')
    const put = shell(cliLine.replace(/ ls \/$/, ` put -q ${local} /Mine`))
    expect(put.code, put.stderr).toBe(0)

    const second = await cli(['serve', '--port', '0'], { env })
    expect(second.code).toBe(2)
    expect(second.stderr).toContain(`the demo drive in ${dir} is in use by another \`serve\``)

    expect(await first.stop()).toBe(0)

    const again = await startLongRunning(['serve', '--port', '0'], /Press Ctrl-C/, 60_000, env)
    const out2 = again.output()
    expect(field(out2, 'password')).toBe(password)
    // The token printed before the restart is a session signed with the kept secret: it still opens the API.
    const apiUrl = /OpenList API\s*: (\S+)/.exec(out2)?.[1]
    const me = await fetch(`${apiUrl}/me`, { headers: { Authorization: token! } })
    expect(((await me.json()) as { code: number }).code).toBe(200)
    const listed = shell(field(out2, 'CLI on it')!.replace(/ ls \/$/, ' ls /Mine'))
    expect(listed.code, listed.stderr).toBe(0)
    expect(listed.stdout).toBe('kept.txt\n')
    expect(await again.stop()).toBe(0)

    const fresh = await startLongRunning(['serve', '--port', '0', '--fresh'], /Press Ctrl-C/, 60_000, env)
    const out3 = fresh.output()
    expect(field(out3, 'password')).not.toBe(password)
    const gone = shell(field(out3, 'CLI on it')!.replace(/ ls \/$/, ' ls /Mine'))
    expect(gone.code).toBe(3)
    expect(await fresh.stop()).toBe(0)
  }, 240_000)

  it('--fresh is refused with --config', async () => {
    const r = await cli(['--config', join(home, 'none.json'), 'serve', '--fresh'], { env })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--fresh starts the demo drive over')
  })
})

describe('where the demo is kept', () => {
  it('$XDG_STATE_HOME/aliyundrive-open, else ~/.local/state/aliyundrive-open (a relative XDG path is ignored)', () => {
    expect(demoStateDir({ XDG_STATE_HOME: '/var/x' })).toBe('/var/x/aliyundrive-open')
    expect(demoStateDir({})).toBe(join(homedir(), '.local', 'state', 'aliyundrive-open'))
    expect(demoStateDir({ XDG_STATE_HOME: 'rel/dir' })).toBe(join(homedir(), '.local', 'state', 'aliyundrive-open'))
  })
})
