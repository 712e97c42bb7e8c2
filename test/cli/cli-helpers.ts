/**
 * Runs the built CLI (`dist/cli/main.js`) as a user would. The build happens when a source is newer than it; tsc emits even
 * when another part of the tree does not type-check yet, so only a missing output fails the build step.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { run, type RunResult } from '../interop/tools.js'

export const ROOT = join(import.meta.dirname, '..', '..')
export const MAIN = join(ROOT, 'dist', 'cli', 'main.js')

export function buildOnce(): void {
  // Several test files build; test workers run in parallel, and tsc rewriting dist/ while another file's CLI child
  // loads it fails that child. So builds are serialised by a lock and skipped when dist/ is newer than the sources.
  const lock = join(ROOT, 'dist', '.build-lock')
  mkdirSync(dirname(lock), { recursive: true })
  for (const started = Date.now(); ; ) {
    try {
      mkdirSync(lock)
      break
    } catch {
      if (Date.now() - started > 120_000) rmSync(lock, { recursive: true, force: true }) // a crashed holder
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100)
    }
  }
  try {
    if (existsSync(MAIN) && statSync(MAIN).mtimeMs >= newestSource()) return
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' })
    if (!existsSync(MAIN)) throw new Error(`build failed:\n${r.stdout}${r.stderr}`)
    const now = new Date()
    utimesSync(MAIN, now, now) // tsc may leave an unchanged output's mtime alone
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

function newestSource(): number {
  let newest = statSync(join(ROOT, 'tsconfig.build.json')).mtimeMs
  for (const e of readdirSync(join(ROOT, 'src'), { recursive: true, withFileTypes: true })) {
    if (e.isFile()) newest = Math.max(newest, statSync(join(e.parentPath, e.name)).mtimeMs)
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
