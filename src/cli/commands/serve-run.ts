/**
 * What `serve` does once its flags are parsed (serve.ts registers the command and parses them). It sits in a module of
 * its own so that the server, the emulator and the driver load only when `serve` runs, never for `--help` or another
 * command: `--help` must start as fast as a bare node.
 */
import type { Command } from 'commander'
import type { Logger, StorageDriver } from '../../host/types.js'
import {
  readUsersFile,
  startServer,
  TrustedProxies,
  UsersFileError,
  type RunningServer,
  type ServeOptions,
  type UserEntry,
} from '../../server/index.js'
import { UsageError } from '../exit-codes.js'
import { openDriver, stderrLogger } from '../open-driver.js'
import { davPropsPathFor, loadOrCreateState, statePathFor } from '../serve-state.js'
import { demoCliLine as cliLine, openDemoDrive, type DemoDrive } from '../demo-drive.js'
import { cleartextWarning, tlsFilesOf } from '../serve-network.js'
import { openMountedStorages, type MountedStorages } from '../serve-storages.js'
import { globals } from '../globals.js'
import { DEFAULT_PORT, type ServeFlags } from './serve-flags.js'

export async function serve(flags: ServeFlags, cmd: Command): Promise<void> {
  const g = globals(cmd)
  const logger = stderrLogger(g.debug)
  const givenConfig = g.config ?? process.env.ALIYUNDRIVE_OPEN_CONFIG
  if (!givenConfig && g.apiUrl) throw new UsageError('--api-url needs --config (the refresh token for that API)')
  if (g.mount !== undefined)
    throw new UsageError('serve mounts every storage of the file; --mount picks one for file commands and login')
  if (givenConfig && flags.fresh)
    throw new UsageError('--fresh starts the demo drive over; it does not apply with --config')
  // Flag problems first, before an emulator or a drive is started for nothing.
  const tls = await tlsFilesOf(flags)
  const users = flags.users === undefined ? undefined : await usersOf(flags.users, flags.user)
  const trustProxy = flags.trustProxy === undefined ? undefined : trustedProxiesOf(flags.trustProxy)
  let demo: DemoDrive | undefined
  let driver: StorageDriver | undefined
  let mounted: MountedStorages | undefined
  let server: RunningServer | undefined
  let password = flags.password ?? process.env.ALIYUNDRIVE_OPEN_PASSWORD
  let secret = flags.secret ?? process.env.ALIYUNDRIVE_OPEN_SECRET
  let generated = false
  // Whatever started before a failure is stopped, so the error ends the process (an emulator would keep it alive).
  const stopAll = async () => {
    await server?.close()
    await driver?.drop()
    for (const d of mounted?.drivers ?? []) await d.drop()
    await demo?.close()
  }
  try {
    // Without a config, the demo drive is a config of its own in the state folder, served like any other.
    if (!givenConfig) demo = await openDemoDrive({ fresh: Boolean(flags.fresh) })
    const configPath = givenConfig ?? demo!.configPath
    const apiUrl = demo ? demo.emulator.apiUrl : g.apiUrl
    mounted = await openMountedStorages(configPath, apiUrl, logger, flags.listTtl)
    if (!mounted) driver = (await openDriver({ config: configPath, ...(apiUrl ? { apiUrl } : {}) }, logger)).driver
    if (!password || !secret) {
      const state = await loadOrCreateState(statePathFor(configPath), !password)
      secret ??= state.secret
      if (!password) {
        password = state.password
        generated = true
      }
    }
    const options = {
      ...(mounted ? { fs: mounted.fs } : { driver: driver! }),
      credentials: { user: flags.user, password: password! },
      ...(secret ? { secret: Buffer.from(secret, 'utf8') } : {}),
      host: flags.host,
      linkTtlSec: flags.linkTtl,
      proxyDownloads: Boolean(flags.proxy),
      davRedirect: Boolean(flags.davRedirect),
      listTtlMs: flags.listTtl,
      proxyConcurrency: flags.proxyConcurrency,
      tokenExpiresInHours: flags.tokenExpiresIn,
      archiveExtractLimit: flags.archiveExtractLimit * 1024 * 1024,
      ...(flags.publicUrl ? { publicUrl: flags.publicUrl } : {}),
      davPropsFile: davPropsPathFor(configPath),
      logger,
      ui: flags.ui,
      ...(tls ? { tls } : {}),
      ...(users ? { users } : {}),
      ...(trustProxy ? { trustProxy } : {}),
      readOnly: Boolean(flags.readOnly),
      connectionCaps: { total: flags.maxConnections, perAddress: flags.maxConnectionsPerAddress },
    }
    server = await listen(options, flags.host, flags.port, logger)
  } catch (e) {
    await stopAll().catch(() => undefined)
    throw e
  }
  const warning = cleartextWarning(flags.host, tls)
  if (warning) logger.warn(warning)
  await printBanner(server, {
    user: flags.user,
    password: password!,
    generated,
    demo,
    logger,
    mountLines: mounted?.lines ?? [],
    ui: flags.ui,
  })
  const stop = async () => {
    await stopAll()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
  const running = server
  // SIGHUP re-reads what may change under a running server (a renewed certificate, the accounts) without dropping
  // connections; a file that fails to load leaves what is in use as it was.
  process.on('SIGHUP', () => {
    running.reloadTls().then(
      () => tls && process.stderr.write(`reloaded the TLS certificate ${tls.certFile}\n`),
      (e: unknown) => logger.error(`kept the TLS certificate in use: ${(e as Error).message}`),
    )
    if (flags.users !== undefined)
      usersOf(flags.users, flags.user).then(
        (next) => {
          running.setUsers(next)
          process.stderr.write(`reloaded ${next.length} account(s) from ${flags.users}\n`)
        },
        (e: unknown) => logger.error(`kept the accounts in use: ${(e as Error).message}`),
      )
  })
}

function trustedProxiesOf(spec: string): TrustedProxies {
  try {
    return new TrustedProxies(spec)
  } catch (e) {
    throw new UsageError((e as Error).message)
  }
}

/** The accounts of --users; a bad file is a usage error naming its bad entries. */
async function usersOf(file: string, admin: string): Promise<UserEntry[]> {
  try {
    return await readUsersFile(file, admin)
  } catch (e) {
    throw e instanceof UsersFileError ? new UsageError(e.message) : e
  }
}

/**
 * Listens on the --port asked for, and says so when it cannot; only the default port falls back to a free one
 * (`npm start` must work when something else holds 5245; an explicit port is a promise to whoever configured it).
 */
async function listen(
  options: Omit<ServeOptions, 'port'>,
  host: string,
  port: number | undefined,
  logger: Logger,
): Promise<RunningServer> {
  try {
    return await startServer({ ...options, port: port ?? DEFAULT_PORT })
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE' && port === undefined) {
      logger.warn(`port ${DEFAULT_PORT} is taken; using a free port instead`)
      return startServer({ ...options, port: 0 })
    }
    if (code === 'EADDRINUSE')
      throw new UsageError(
        `port ${port} on ${host} is taken (--port ${port}): stop what uses it or choose another --port`,
      )
    if (code === 'EACCES')
      throw new UsageError(
        `not allowed to listen on port ${port ?? DEFAULT_PORT} (--port): ports below 1024 need privileges`,
      )
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      throw new UsageError(`cannot listen on --host ${host}: ${code} (not an address of this machine)`)
    throw e
  }
}

async function printBanner(
  server: RunningServer,
  o: {
    user: string
    password: string
    generated: boolean
    demo: DemoDrive | undefined
    logger: Logger
    mountLines: string[]
    ui: boolean
  },
): Promise<void> {
  let example = ''
  try {
    const first = (await server.fs.list(o.demo ? '/Documents' : '/')).children.find((c) => !c.isFolder)
    if (first) example = server.signedUrl(first.path)
  } catch (e) {
    o.logger.warn(`could not list the drive for an example link: ${(e as Error).message}`)
  }
  const lines = [
    // The UI's address first: it is what most people who ran `npm start` want to open.
    ...(o.ui ? [`Open the web UI: ${server.url}/   (log in as the user below)`] : []),
    `aliyundrive-open serve — ${o.demo ? `demo mount of the emulator at ${o.demo.emulator.apiUrl}` : 'mounted your AliyunDrive'}`,
    ...o.mountLines,
    `  OpenList API : ${server.apiUrl}   (OpenList driver "OpenList": url ${server.url})`,
    `  WebDAV       : ${server.davUrl}   (OpenList driver "WebDav", rclone, cadaver…)`,
    `  user         : ${o.user}`,
    `  password     : ${o.generated ? o.password : '(as given)'}`,
    `  API token    : ${server.token}`,
    ...(example ? [`  example link : ${example}`] : []),
    `  try          : curl -u '${o.user}:${o.generated ? o.password : '…'}' ${server.davUrl}`,
    ...(o.demo
      ? [
          `  demo kept in : ${o.demo.dir}   (files, tokens, uploads, password; \`serve --fresh\` starts over)`,
          `  CLI on it    : ${cliLine(o.demo)}`,
        ]
      : []),
    'Press Ctrl-C to stop.',
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
}
