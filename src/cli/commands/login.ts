/**
 * `login`: a refresh token by QR code, entirely in the terminal, written into `--config FILE` (created 0600, or
 * updated in place under the config lock). Prints the code, the URL it encodes and the server's qrCodeUrl, each state
 * change, then the account and its drives. Tokens are never printed. Ctrl-C exits 130 and writes nothing.
 */
import { Option, type Command } from 'commander'
import { DriverError, registerSecret } from '../../errors/index.js'
import type { AccountInfo } from '../../login/account-info.js'
import type { QrCode } from '../../login/types.js'
import { UsageError } from '../exit-codes.js'
import { globals } from '../globals.js'
import { nonNegativeInt, oneOf, positiveInt } from '../option-parsers.js'
import { printJson } from '../run-command.js'

interface LoginCliFlags {
  tv?: boolean
  clientId?: string
  clientSecret?: string
  apiUrlAddress?: string
  mount?: string
  driveType?: string
  pollInterval: number
  codeLifetime: number
  maxCodes: number
}

const STATE_LINES = {
  waiting: 'Waiting for the scan… (Ctrl-C to cancel)',
  scanned: 'Scanned. Confirm the login on the phone…',
  expired: 'The QR code expired.',
  confirmed: 'Confirmed.',
} as const

export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('get a refresh token by scanning a QR code with the Aliyun Drive app, and write it into --config FILE')
    .option('--tv', 'log in as the TV app (alipanTV) through the online API')
    .option('--client-id <id>', 'your own Open Platform app id (with --client-secret): no online API involved')
    .option('--client-secret <secret>', 'your own Open Platform app secret')
    .option(
      '--api-url-address <url>',
      `the online API to log in and renew through (default: the config's api_url_address, else OpenList's)`,
    )
    .option('--mount <path>', 'in a file of storages, the mount path of the storage to log in (added when missing)')
    .option(
      '--drive-type <type>',
      'drive_type to write: resource, backup or default',
      oneOf(['resource', 'backup', 'default'] as const),
    )
    .addOption(
      new Option('--poll-interval <ms>', 'time between status reads')
        .argParser(nonNegativeInt)
        .default(2500)
        .hideHelp(),
    )
    .addOption(
      new Option('--code-lifetime <sec>', 'give a code up after this long without confirmation')
        .argParser(nonNegativeInt)
        .default(300)
        .hideHelp(),
    )
    .addOption(
      new Option('--max-codes <n>', 'QR codes to show before giving up').argParser(positiveInt).default(3).hideHelp(),
    )
    .action(async (flags: LoginCliFlags, cmd: Command) => {
      await login(flags, cmd)
    })
}

async function login(cliFlags: LoginCliFlags, cmd: Command): Promise<void> {
  const g = globals(cmd)
  // `--mount` is the same word before the command (global) and after it (login's own).
  const mount = cliFlags.mount ?? g.mount
  const flags = { ...cliFlags, ...(mount !== undefined ? { mount } : {}) }
  // The login flow (HTTP client, QR renderer, config lock) loads when login runs, not when any other command starts.
  const [
    { fetchAccountInfo },
    { chooseRoute, existingAddition, LoginUsageError, OFFICIAL_API },
    { runQrLogin },
    { checkLoginTarget, readIfExists, saveLoginTokens },
  ] = await Promise.all([
    import('../../login/account-info.js'),
    import('../../login/login-settings.js'),
    import('../../login/run-login.js'),
    import('../../login/save-tokens.js'),
  ])
  const path = g.config ?? process.env.ALIYUNDRIVE_OPEN_CONFIG
  if (!path) throw new UsageError('login needs --config FILE: the file to write the tokens into (created if missing)')
  const apiUrl = g.apiUrl ?? process.env.ALIYUNDRIVE_OPEN_API_URL
  let route
  try {
    route = chooseRoute(
      { ...flags, ...(apiUrl ? { apiUrl } : {}) },
      existingAddition(await readIfExists(path), flags.mount),
    )
  } catch (e) {
    throw e instanceof LoginUsageError ? new UsageError(e.message) : e
  }
  registerSecret(flags.clientSecret)
  await checkLoginTarget(path, flags.mount)
  // With --json, stdout carries only the result; the code and the progress go to stderr.
  const out = g.json ? process.stderr : process.stdout
  const ac = new AbortController()
  // Once the tokens exist, Ctrl-C no longer cancels: the write that follows is atomic and short, and the new refresh
  // token would be lost with it.
  let saving = false
  const onSigint = () => {
    if (saving) process.stderr.write('aliyundrive-open: saving the tokens first…\n')
    else ac.abort(new Error('cancelled'))
  }
  process.on('SIGINT', onSigint)
  try {
    const tokens = await runQrLogin({
      route,
      signal: ac.signal,
      pollIntervalMs: flags.pollInterval,
      codeLifetimeMs: flags.codeLifetime * 1000,
      maxCodes: flags.maxCodes,
      maxTransient: 3,
      showCode: (code, n) => showCode(out, code, n, route.label),
      onState: (s) => out.write(`${STATE_LINES[s]}\n`),
    }).catch((e: unknown) => {
      if (ac.signal.aborted) throw new DriverError('ABORTED', 'login cancelled; nothing was written')
      throw e
    })
    saving = true
    registerSecret(tokens.refreshToken)
    registerSecret(tokens.accessToken)
    const saved = await saveLoginTokens({
      path,
      ...(flags.mount ? { mount: flags.mount } : {}),
      ...(flags.driveType ? { driveType: flags.driveType as 'resource' } : {}),
      tokens,
      renewal: route.renewal,
    })
    let account: AccountInfo | undefined
    try {
      account = await fetchAccountInfo(apiUrl ?? OFFICIAL_API, tokens.accessToken, new AbortController().signal)
    } catch (e) {
      process.stderr.write(
        `aliyundrive-open: the tokens are saved, but reading the account failed: ${(e as Error).message}\n`,
      )
    }
    const where = `${path}${saved.mountPath ? ` (storage ${saved.mountPath}${saved.addedRow ? ', added' : ''})` : ''}`
    if (g.json) {
      printJson({
        config: path,
        created: saved.created,
        ...(saved.mountPath ? { mount_path: saved.mountPath, added: saved.addedRow } : {}),
        route: route.label,
        renewal: { ...route.renewal, client_secret: undefined },
        account: account ?? null,
      })
      return
    }
    const lines = [
      `Tokens ${saved.created ? 'written to a new file' : 'saved in'} ${where}${saved.created ? ' (mode 0600)' : ''}.`,
    ]
    if (account) {
      lines.push(`Account: ${account.name || '(no name)'} (user ${account.userId})`)
      lines.push(
        `Drives : ${
          account.drives
            .filter((d) => d.type !== 'default')
            .map((d) => `${d.type} (${d.driveId})`)
            .join(', ') || 'only the default drive (resource and backup were not granted)'
        }`,
      )
    }
    const base = `aliyundrive-open --config ${path}${apiUrl ? ` --api-url ${apiUrl}` : ''}`
    lines.push(saved.mountPath ? `Next   : ${base} serve` : `Next   : ${base} ls /    or    ${base} serve`)
    out.write(`${lines.join('\n')}\n`)
  } finally {
    process.off('SIGINT', onSigint)
  }
}

async function showCode(out: NodeJS.WritableStream, code: QrCode, n: number, label: string): Promise<void> {
  const { renderQr } = await import('../../login/render-qr.js')
  const qr = await renderQr(code.scanUrl)
  out.write(
    `${n > 1 ? `New QR code (#${n}). ` : ''}Scan with the Aliyun Drive (阿里云盘) app to log in through ${label}:\n${qr}\n` +
      `Scan URL  : ${code.scanUrl}\nqrCodeUrl : ${code.qrCodeUrl}\n`,
  )
}
