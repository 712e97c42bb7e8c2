/**
 * Runs the built CLI (`dist/cli/main.js`) as a user would. The build happens when src/ changed since the last one;
 * tsc emits even when another part of the tree does not type-check yet, so only a missing output fails the build.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { run, type RunResult } from '../interop/tools.js'

export const ROOT = join(import.meta.dirname, '..', '..')
export const MAIN = join(ROOT, 'dist', 'cli', 'main.js')

export function buildOnce(): void {
  // Test files run in parallel and each builds: a tsc rewriting dist/ while another file runs the CLI makes that run
  // import half-written modules. One build at a time (a lock directory), and none when dist/ is newer than src/.
  const lock = join(ROOT, '.dist-build-lock')
  const stamp = join(ROOT, 'dist', '.build-stamp')
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(lock)
      break
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      if (waited > 180_000) rmSync(lock, { recursive: true, force: true }) // left by a killed run
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100)
    }
  }
  try {
    if (existsSync(MAIN) && existsSync(stamp) && statSync(stamp).mtimeMs > newestSource(join(ROOT, 'src'))) return
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' })
    if (!existsSync(MAIN)) throw new Error(`build failed:\n${r.stdout}${r.stderr}`)
    writeFileSync(stamp, '')
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs)
  }
  return newest
}

export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  return run(process.execPath, [MAIN, ...args], { timeoutMs: 60_000, ...opts })
}

/** Starts a long-running command and resolves once its stdout matches `ready`. */
export function startLongRunning(args: string[], ready: RegExp, timeoutMs = 30_000): Promise<{ output: () => string; stop: () => Promise<number | null> }> {
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
