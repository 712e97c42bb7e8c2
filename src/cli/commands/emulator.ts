/** `emulator`: the AliyunDrive Open API emulator as a standalone process, seeded with the demo tree. */
import type { Command } from 'commander'
import { UsageError } from '../exit-codes.js'
import { listenHost, nonNegativeInt, portNumber } from '../option-parsers.js'

interface EmulatorFlags {
  host: string
  port: number
  storageDir?: string
  limits: boolean
  downloadUrlTtl: number
  persist?: boolean
  uploadSessionTtl?: number
}

export function registerEmulator(program: Command): void {
  program
    .command('emulator')
    .description('run the AliyunDrive Open API emulator (demo tree) for trying things out')
    .option('--host <addr>', 'address to listen on', listenHost, '127.0.0.1')
    .option('--port <n>', 'port (0 = any free one)', portNumber, 0)
    .option('--storage-dir <dir>', 'keep file bytes in this folder instead of memory')
    .option('--persist', 'keep users, files, tokens and unfinished uploads in --storage-dir across restarts')
    .option('--upload-session-ttl <sec>', 'seconds an unfinished upload lives (default 10 days)', nonNegativeInt)
    .option('--no-limits', 'disable rate limiting')
    .option(
      '--download-url-ttl <sec>',
      'lifetime of download links (real links live 900 s for ordinary apps)',
      nonNegativeInt,
      900,
    )
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
        port: opts.port,
        ...(opts.storageDir ? { storageDir: opts.storageDir } : {}),
        limits: opts.limits,
        ...(opts.persist ? { persist: true } : {}),
        ...(opts.uploadSessionTtl !== undefined ? { uploadSessionTtlSec: opts.uploadSessionTtl } : {}),
        downloadUrlTtlSec: opts.downloadUrlTtl,
      })
      await started.catch((e: unknown) => {
        if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
          throw new UsageError(
            `port ${opts.port} on ${opts.host} is taken (--port ${opts.port}): choose another --port`,
          )
        throw e
      })
    })
}
