/**
 * Runs the built CLI (`dist/cli/main.js`) as a user would. dist/ is built once per run, before any test file, by the
 * integration tier's global set-up (test/helpers/build-dist.ts).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { run, type RunResult } from './interop-tools.js'

export const ROOT = join(import.meta.dirname, '..', '..')
export const MAIN = join(ROOT, 'dist', 'cli', 'main.js')

/**
 * A HOME and XDG_STATE_HOME of this test file's own, for every CLI child unless a test gives its own: `serve` without
 * a config keeps its demo drive under them (src/cli/demo-drive.ts), and a test must never write into the real home.
 */
let isolatedHome: Record<string, string> | undefined
export function isolatedHomeEnv(): Record<string, string> {
  if (!isolatedHome) {
    const home = mkdtempSync(join(tmpdir(), 'aliyundrive-open-home-'))
    isolatedHome = { HOME: home, XDG_STATE_HOME: join(home, '.local', 'state') }
  }
  return isolatedHome
}

export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  return run(process.execPath, [MAIN, ...args], {
    timeoutMs: 60_000,
    ...opts,
    env: { ...isolatedHomeEnv(), ...opts.env },
  })
}

/** Starts a long-running command and resolves once its stdout matches `ready`. */
export function startLongRunning(
  args: string[],
  ready: RegExp,
  timeoutMs = 30_000,
  env: Record<string, string> = {},
): Promise<{ output: () => string; stop: () => Promise<number | null>; signal: (name: NodeJS.Signals) => void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...isolatedHomeEnv(), ...env },
    })
    let out = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`not ready within ${timeoutMs} ms:\n${out}`))
    }, timeoutMs)
    const onData = (c: Buffer) => {
      out += c.toString('utf8')
      if (ready.test(out)) {
        clearTimeout(timer)
        resolve({
          output: () => out,
          signal: (name) => void child.kill(name),
          stop: () =>
            new Promise((res) => {
              child.once('exit', (code) => res(code))
              child.kill('SIGTERM')
            }),
        })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')))
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`exited with ${code} before ready:\n${out}`))
    })
  })
}
