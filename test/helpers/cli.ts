/**
 * Runs the built CLI (`dist/cli/main.js`) as a user would. dist/ is built once per run, before any test file, by the
 * integration tier's global set-up (test/helpers/build-dist.ts).
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { run, type RunResult } from './interop-tools.js'

export const ROOT = join(import.meta.dirname, '..', '..')
export const MAIN = join(ROOT, 'dist', 'cli', 'main.js')

export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  return run(process.execPath, [MAIN, ...args], { timeoutMs: 60_000, ...opts })
}

/** Starts a long-running command and resolves once its stdout matches `ready`. */
export function startLongRunning(
  args: string[],
  ready: RegExp,
  timeoutMs = 30_000,
): Promise<{ output: () => string; stop: () => Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
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
