#!/usr/bin/env node
/**
 * The `aliyundrive-open` command. Errors are one plain line on stderr (the stack only with --debug) and a distinct
 * exit code per error kind (exit-codes.ts). Driver messages are redacted at the source, so no token is printed.
 */
import { readFileSync } from 'node:fs'
import { Command, CommanderError } from 'commander'
import { isDriverError, redact } from '../errors/index.js'
import { registerEmulator } from './commands/emulator.js'
import { registerFileCommands } from './commands/files.js'
import { registerLogin } from './commands/login.js'
import { registerServe } from './commands/serve.js'
import { registerTransferCommands } from './commands/transfer.js'
import { EXIT, exitCodeFor, UsageError } from './exit-codes.js'

/** This package's version, read from its package.json (two levels above src/cli and dist/cli) so it cannot drift. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown }
  if (typeof pkg.version !== 'string') throw new Error('package.json has no version')
  return pkg.version
}

/**
 * Library messages name the library's options (`conflict "overwrite"`); a CLI user needs the flag to type. The
 * driver's wording is stable (src/driver), so it is rewritten here rather than the driver knowing about the CLI.
 */
const LIBRARY_TO_FLAGS: ReadonlyArray<[RegExp, string]> = [
  [/\(use conflict "overwrite" or "rename"\)/g, '(use --overwrite or --rename)'],
  [/\(use conflict "rename" for a second copy\)/g, '(use --rename for a second copy)'],
]

function cliWording(error: unknown): string {
  const message = LIBRARY_TO_FLAGS.reduce(
    (text, [pattern, flags]) => text.replace(pattern, flags),
    error instanceof Error ? error.message : String(error),
  )
  // A name conflict the server reported in its own words (AlreadyExist.File) still needs the way out.
  if (isDriverError(error) && error.code === 'ALREADY_EXISTS' && !message.includes('--'))
    return `${message} (use --overwrite or --rename)`
  return message
}

function buildProgram(): Command {
  const program = new Command()
  program
    .name('aliyundrive-open')
    .description('AliyunDrive Open Platform: file commands, an OpenList-compatible server with WebDAV, and an emulator')
    .option(
      '-c, --config <file>',
      'OpenList AliyundriveOpen addition JSON (or a whole storage object); rotated tokens are saved back ($ALIYUNDRIVE_OPEN_CONFIG)',
    )
    .option('--api-url <url>', 'AliyunDrive Open API base URL, e.g. an emulator ($ALIYUNDRIVE_OPEN_API_URL)')
    .option(
      '--mount <mount_path>',
      'in a file of several storages, the one file commands work on (its mount_path, e.g. /ali/resource)',
    )
    .option('--json', 'machine-readable output on stdout')
    .option('--debug', 'log details and print stacks on errors')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError()
    .exitOverride()
  registerFileCommands(program)
  registerTransferCommands(program)
  registerLogin(program)
  registerServe(program)
  registerEmulator(program)
  return program
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram()
  const debug = argv.includes('--debug')
  try {
    await program.parseAsync(argv)
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are "errors" to commander; they already printed.
      process.exitCode = e.exitCode === 0 ? EXIT.OK : EXIT.USAGE
      return
    }
    const message = cliWording(e)
    process.stderr.write(`aliyundrive-open: ${redact(message)}\n`)
    if (debug && e instanceof Error && e.stack) process.stderr.write(`${redact(e.stack)}\n`)
    process.exitCode = e instanceof UsageError ? EXIT.USAGE : isDriverError(e) ? exitCodeFor(e.code) : EXIT.GENERIC
  }
}

await main(process.argv)
