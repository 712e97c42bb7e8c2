#!/usr/bin/env node
/**
 * Installs OpenList's web UI (npm `@openlist-frontend/openlist-frontend`, pinned below) into `openlist-ui/` beside
 * this package, for `serve` to host at `/`. Run by `postinstall`.
 *
 * Why not a plain dependency: that package lists its *build* dependencies as runtime ones, two of them GitHub
 * tarballs (`@hope-ui/solid`, `mpegts.js`), so `npm ci` would pull about fifty unused packages and fail wherever
 * GitHub is unreachable. We need only its prebuilt `dist/`, so we fetch the tarball with npm's own client
 * (`npm pack`, through the registry and npm's cache) and check it against the pinned integrity before unpacking.
 *
 * A failure does not fail `npm install`: the server then says how to retry, and `serve --no-ui` runs without it.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const UI_PACKAGE = '@openlist-frontend/openlist-frontend'
export const UI_VERSION = '4.2.6'
const INTEGRITY = 'sha512-ebWZEFHyBcQzNcaa8vE6U5LaCHAYblrUzOErGr+N/DBuFqnjBk7AqaPEAiJIbANSb+uu32KPxgc9pY8lF+NZ9w=='

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const target = join(root, 'openlist-ui')
const stamp = join(target, 'VERSION')

function installed() {
  return (
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8').trim() === `v${UI_VERSION}` &&
    existsSync(join(target, 'index.html'))
  )
}

function main() {
  if (installed()) return
  const work = mkdtempSync(join(tmpdir(), 'openlist-ui-'))
  try {
    const out = execFileSync('npm', ['pack', `${UI_PACKAGE}@${UI_VERSION}`, '--json', '--pack-destination', work], {
      cwd: work,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const file = join(work, JSON.parse(out)[0].filename)
    const got = `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`
    if (got !== INTEGRITY)
      throw new Error(`${UI_PACKAGE}@${UI_VERSION}: tarball integrity ${got} is not the pinned ${INTEGRITY}`)
    execFileSync('tar', ['-xzf', file, '-C', work, 'package/dist'], { stdio: 'inherit' })
    rmSync(target, { recursive: true, force: true })
    renameSync(join(work, 'package', 'dist'), target)
    process.stdout.write(`openlist-ui: ${UI_PACKAGE}@${UI_VERSION} installed in ${target}\n`)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

try {
  main()
} catch (e) {
  process.stderr.write(
    `openlist-ui: could not install ${UI_PACKAGE}@${UI_VERSION} (${e.message}); serve needs --no-ui until \`npm run fetch-ui\` succeeds\n`,
  )
}
