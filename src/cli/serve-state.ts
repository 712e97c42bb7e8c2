/**
 * What must survive restarts of `serve` for a mounted OpenList to keep working: the secret (it signs the raw_url
 * links OpenList caches forever and derives the API token OpenList stores) and a generated password. Kept in a
 * hidden file next to the config, mode 0600. The demo mount (no config) is served through a config in its state
 * folder (demo-drive.ts), so it keeps them too.
 */
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { writeAtomically } from '../persist/atomic-write.js'

export interface ServeState {
  secret: string
  password?: string
}

export function statePathFor(configPath: string): string {
  return join(dirname(configPath), `.${basename(configPath)}.serve-state.json`)
}

/** WebDAV dead properties (PROPPATCH) of the mount configured by `configPath`, next to its serve state. */
export function davPropsPathFor(configPath: string): string {
  return join(dirname(configPath), `.${basename(configPath)}.dav-props.sqlite`)
}

export async function loadOrCreateState(path: string, needPassword: boolean): Promise<ServeState> {
  let state: Partial<ServeState> = {}
  try {
    state = JSON.parse(await readFile(path, 'utf8')) as Partial<ServeState>
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read the serve state file ${path}`)
  }
  let changed = false
  if (typeof state.secret !== 'string' || state.secret.length < 32) {
    state.secret = randomBytes(32).toString('base64url')
    changed = true
  }
  if (needPassword && typeof state.password !== 'string') {
    state.password = generatePassword()
    changed = true
  }
  if (changed) await writeAtomically(path, `${JSON.stringify(state, null, 2)}\n`, 0o600)
  return state as ServeState
}

export function generatePassword(): string {
  return randomBytes(12).toString('base64url')
}
