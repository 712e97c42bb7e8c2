/**
 * Temp files that a killed writer left beside the config file (`.<name>.<pid>.<hex>.tmp`). They hold tokens, so they
 * must not linger; and one written completely before the kill may hold a *newer* refresh token than the config (the
 * kill fell between fsync and rename): the old token in the config is then already consumed (single-use, docs/api-notes.md §2.1),
 * and the temp file is the only way back in. So: adopt the newest complete one if it is newer, remove the rest.
 */
import { readdir, readFile, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { isNewerRefreshToken } from '../auth/jwt.js'
import { parseConfig } from '../config/index.js'

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function refreshTokenIn(text: string): string | undefined {
  try {
    const doc = JSON.parse(text) as Record<string, unknown>
    return parseConfig(doc).refresh_token
  } catch {
    return undefined // torn or foreign: not adoptable
  }
}

/** Returns true when a temp file was adopted as the config (the caller then reads the config again). */
export async function recoverStaleTempFiles(configPath: string, currentText: string): Promise<boolean> {
  const dir = dirname(configPath)
  const prefix = `.${basename(configPath)}.`
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return false
  }
  const stale = names
    .filter((n) => n.startsWith(prefix) && n.endsWith('.tmp'))
    .map((n) => ({ path: join(dir, n), pid: Number(n.slice(prefix.length).split('.')[0]) }))
    .filter((t) => Number.isInteger(t.pid) && t.pid > 0 && !isAlive(t.pid))
  if (stale.length === 0) return false
  let best: { path: string; refreshToken: string } | undefined
  const current = refreshTokenIn(currentText) ?? ''
  for (const t of stale) {
    const refreshToken = refreshTokenIn(await readFile(t.path, 'utf8').catch(() => ''))
    if (isNewerRefreshToken(refreshToken, best?.refreshToken ?? current)) best = { path: t.path, refreshToken }
  }
  if (best) await rename(best.path, configPath)
  await Promise.all(stale.filter((t) => t.path !== best?.path).map((t) => rm(t.path, { force: true })))
  return best !== undefined
}
