/** `emulator`: the AliyunDrive Open API emulator as a standalone process, seeded with the demo tree. */
import type { Command } from 'commander'
import { UsageError } from '../exit-codes.js'
import { intOption } from '../globals.js'

interface EmulatorFlags {
  host: string
  port: string
  storageDir?: string
  limits: boolean
  downloadUrlTtl: string
  persist?: boolean
  uploadSessionTtl?: string
}

export function registerEmulator(program: Command): void {
  program
    .command('emulator')
    .description('run the AliyunDrive Open API emulator (demo tree) for trying things out')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port (0 = any free one)', '0')
    .option('--storage-dir <dir>', 'keep file bytes in this folder instead of memory')
    .option('--persist', 'keep users, files, tokens and unfinished uploads in --storage-dir across restarts')
    .option('--upload-session-ttl <sec>', 'seconds an unfinished upload lives (default 10 days)')
    .option('--no-limits', 'disable rate limiting')
    .option('--download-url-ttl <sec>', 'lifetime of download links (real links live 900 s for ordinary apps)', '900')
    .action(async (opts: EmulatorFlags) => {
      if (opts.persist && !opts.storageDir)
        throw new UsageError('--persist needs --storage-dir (the folder the state is kept in)')
      // Handlers first: a supervisor may signal as soon as the banner appears, before the promise below settles.
      const stop = async () => {
        await (await started).close()
        process.exit(0)
      }
      process.once('SIGINT', () => void stop())
      process.once('SIGTERM', () => void stop())
      // The emulator is loaded only by the command that runs it, so no other command starts slower for it.
      const { runStandaloneEmulator } = await import('../../emulator/index.js')
      const started = runStandaloneEmulator({
        host: opts.host,
        port: intOption(opts.port, '--port'),
        ...(opts.storageDir ? { storageDir: opts.storageDir } : {}),
        limits: opts.limits,
        ...(opts.persist ? { persist: true } : {}),
        ...(opts.uploadSessionTtl !== undefined
          ? { uploadSessionTtlSec: intOption(opts.uploadSessionTtl, '--upload-session-ttl') }
          : {}),
        downloadUrlTtlSec: intOption(opts.downloadUrlTtl, '--download-url-ttl'),
      })
      await started
    })
}
