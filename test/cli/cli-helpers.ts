/**
 * Runs the built CLI (`dist/cli/main.js`) as a user would. The build happens when a source is newer than it; tsc emits even
 * when another part of the tree does not type-check yet, so only a missing output fails the build step.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import lockfile from 'proper-lockfile'
import { run, type RunResult } from '../interop/tools.js'

export const ROOT = join(import.meta.dirname, '..', '..')
export const MAIN = join(ROOT, 'dist', 'cli', 'main.js')

/**
 * Test files run in parallel and each builds first: one build at a time (a lock in test/.tmp/), and none when dist
 * is newer than every source. A build rewriting dist/ while another file's CLI child loads it gave that child
 * half-written modules ("does not provide an export named …").
 */
export function buildOnce(): void {
  const release = lockBuild()
  try {
    if (isBuildCurrent()) return
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
      { cwd: ROOT, encoding: 'utf8' },
    )
    if (!existsSync(MAIN)) throw new Error(`build failed:\n${r.stdout}${r.stderr}`)
    writeFileSync(BUILD_STAMP, `${Date.now()}\n`)
  } finally {
    release()
  }
}

// Kept out of dist/, which is what the package publishes.
const BUILD_DIR = join(ROOT, 'test', '.tmp')
const BUILD_STAMP = join(BUILD_DIR, 'build-stamp')

function lockBuild(): () => void {
  // The event loop is blocked during the build, so the lock's mtime is not refreshed: stale only well after a build.
  mkdirSync(BUILD_DIR, { recursive: true })
  const options = {
    lockfilePath: join(BUILD_DIR, 'build.lock'),
    realpath: false,
    stale: 240_000,
    onCompromised: () => undefined,
  }
  const started = Date.now()
  for (;;) {
    try {
      return lockfile.lockSync(join(ROOT, 'package.json'), options)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED' || Date.now() - started > 300_000) throw e
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200)
    }
  }
}

function isBuildCurrent(): boolean {
  if (!existsSync(BUILD_STAMP) || !existsSync(MAIN)) return false
  const built = statSync(BUILD_STAMP).mtimeMs
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
      ),
    )
  return (
    Math.max(
      newest(join(ROOT, 'src')),
      statSync(join(ROOT, 'tsconfig.build.json')).mtimeMs,
      statSync(join(ROOT, 'package.json')).mtimeMs,
    ) < built
  )
}

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
