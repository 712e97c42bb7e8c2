/**
 * The integration tier's global set-up: builds dist/ once per run, before any test file starts, when a source is
 * newer than the last build. Files that run the built CLI or the built package (test/helpers/cli.ts `MAIN`) rely on
 * it; none builds on its own, so no file's child process can load a dist/ another file is rewriting. tsc emits even
 * when another part of the tree does not type-check yet, so only a missing output fails the set-up. The build is
 * incremental (its state in node_modules/.cache/, outside what is published): after a small change it re-checks and
 * re-emits only what the change reaches. That state is dropped when dist/ is gone, or tsc would believe the deleted
 * output still current and emit nothing.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '..', '..')
const MAIN = join(ROOT, 'dist', 'cli', 'main.js')
// Kept out of dist/, which is what the package publishes.
const BUILD_DIR = join(ROOT, 'test', '.tmp')
const BUILD_STAMP = join(BUILD_DIR, 'build-stamp')
const BUILD_INFO = join(ROOT, 'node_modules', '.cache', 'tsc', 'build.tsbuildinfo')

export default function buildDist(): void {
  if (isBuildCurrent()) return
  if (!existsSync(MAIN)) rmSync(BUILD_INFO, { force: true })
  const r = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      ...['-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', BUILD_INFO],
    ],
    { cwd: ROOT, encoding: 'utf8' },
  )
  if (!existsSync(MAIN)) throw new Error(`build failed:\n${r.stdout}${r.stderr}`)
  mkdirSync(BUILD_DIR, { recursive: true })
  writeFileSync(BUILD_STAMP, `${Date.now()}\n`)
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
