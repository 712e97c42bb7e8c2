/**
 * The demo drive of `serve` without a config (README.md, "Try it"): the emulator with its demo tree, kept in a state
 * folder under the XDG base directories so what a user puts in it survives a restart — files, tokens, unfinished
 * uploads (the emulator's `persist`), and, through a config file written for it there, the generated password and
 * secret (`.demo-config.json.serve-state.json`, as for any `--config`) and WebDAV properties. The same config is what
 * the CLI uses to reach the running demo, with the file's lock shared as for any config. One `serve` at a time holds
 * the folder (a lock beside it), so two demo servers never write one state over the other.
 */
import { chmod, mkdir, readdir, rm } from 'node:fs/promises'
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import lockfile from 'proper-lockfile'
import { demoSeed, startEmulator, type EmulatorHandle } from '../emulator/index.js'
import { updateConfigFile } from '../persist/config-file-lock.js'
import { UsageError } from './exit-codes.js'

export interface DemoDrive {
  dir: string
  /** The config written for the demo: serve and the CLI both use it (with `--api-url` of the emulator). */
  configPath: string
  emulator: EmulatorHandle
  /** Saves the emulator's state and frees the folder for the next `serve`. */
  close(): Promise<void>
}

/** `$XDG_STATE_HOME/aliyundrive-open`, else `~/.local/state/aliyundrive-open` (XDG Base Directory defaults). */
export function demoStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_STATE_HOME
  // The spec says a relative XDG path is invalid and to be ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.local', 'state')
  return join(base, 'aliyundrive-open')
}

export async function openDemoDrive(opts: { fresh: boolean }): Promise<DemoDrive> {
  const dir = demoStateDir()
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const release = await lockDemo(dir)
  let emulator: EmulatorHandle | undefined
  try {
    if (opts.fresh) await wipe(dir)
    emulator = await startEmulator({ port: 0, seed: demoSeed(), storageDir: join(dir, 'emulator'), persist: true })
    const configPath = join(dir, 'demo-config.json')
    // A refresh token issued now, every start: the one the file holds may be gone if the last run was killed
    // before the emulator saved its state.
    const refreshToken = emulator.issueRefreshToken()
    const app = { client_id: emulator.clientId, client_secret: emulator.clientSecret }
    await updateConfigFile(
      configPath,
      (addition) => {
        for (const key of Object.keys(addition)) delete addition[key]
        Object.assign(addition, { refresh_token: refreshToken, use_online_api: false, ...app })
      },
      { create: true },
    )
    await chmod(configPath, 0o600)
    const started = emulator
    return {
      dir,
      configPath,
      emulator,
      close: async () => {
        try {
          await started.close()
        } finally {
          await release()
        }
      },
    }
  } catch (e) {
    await emulator?.close().catch(() => undefined)
    await release()
    throw e
  }
}

/** Holds the folder for this process; a lock left by a killed process goes stale (its mtime is no longer renewed). */
async function lockDemo(dir: string): Promise<() => Promise<void>> {
  try {
    const release = await lockfile.lock(dir, {
      lockfilePath: join(dir, 'serve.lock'),
      realpath: false,
      stale: 10_000,
      onCompromised: () => undefined, // the state is saved at close whatever happened to the lock
    })
    return () => release().catch(() => undefined)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOCKED')
      throw new UsageError(
        `the demo drive in ${dir} is in use by another \`serve\`; stop that one first (its state is saved when it stops)`,
      )
    throw e
  }
}

/** `serve --fresh`: everything the demo kept goes, under the lock so no running demo loses its folder. */
async function wipe(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name !== 'serve.lock') await rm(join(dir, name), { recursive: true, force: true })
  }
}

/**
 * The command line that reaches the running demo from a shell, exactly as printed: this very CLI by its path (a fresh
 * clone has no `aliyundrive-open` on the PATH, and npx does not run a project's own bin), the demo's config, and the
 * emulator's URL (a new port every run, so it is not in the config).
 */
export function demoCliLine(demo: DemoDrive, args = 'ls /'): string {
  const main = process.argv[1] ?? 'aliyundrive-open'
  return `node ${shellWord(main)} --config ${shellWord(demo.configPath)} --api-url ${demo.emulator.apiUrl} ${args}`
}

function shellWord(word: string): string {
  return /^[\w./:@%+=-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`
}
