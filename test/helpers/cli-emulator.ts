/**
 * The CLI files' set-up: an emulator on loopback (no rate limits: the CLI brings its own limiter), a temp folder,
 * and a config file in it that the CLI reads and writes its rotated tokens back to. `base` holds the global flags
 * that point the built CLI (test/helpers/cli.ts) at both.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmulator, type EmulatorHandle, type SeedEntry } from '../../src/emulator/index.js'

export interface CliEmulator {
  emu: EmulatorHandle
  /** The temp folder, for local files; removed by close(). */
  dir: string
  configPath: string
  /** `--config <configPath> --api-url <emulator>`. */
  base: string[]
  close(): Promise<void>
}

/**
 * Starts the emulator with `seed` and writes `config(emu)` to `<dir>/<configName>`: a string as it is, anything
 * else as JSON.
 */
export async function startCliEmulator(
  seed: SeedEntry[],
  config: (emu: EmulatorHandle) => unknown,
  configName = 'storage.json',
): Promise<CliEmulator> {
  const emu = await startEmulator({ port: 0, limits: false, seed })
  const dir = await mkdtemp(join(tmpdir(), 'ado-cli-'))
  const close = async () => {
    await emu.close()
    await rm(dir, { recursive: true, force: true })
  }
  const configPath = join(dir, configName)
  try {
    const content = config(emu)
    await writeFile(configPath, typeof content === 'string' ? content : JSON.stringify(content))
  } catch (e) {
    await close()
    throw e
  }
  return { emu, dir, configPath, base: ['--config', configPath, '--api-url', emu.apiUrl], close }
}
