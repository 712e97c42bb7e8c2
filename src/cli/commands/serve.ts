/**
 * `serve`: mounts a drive and serves it as an OpenList-compatible API, WebDAV and stable /d links. Without --config it
 * mounts the emulator with its demo tree, so `npm start` on a fresh clone shows something real within seconds.
 */
import type { Command } from 'commander'
import type { EmulatorHandle } from '../../emulator/index.js'
import type { Logger, StorageDriver } from '../../host/types.js'
import type { RunningServer } from '../../server/index.js'
import { UsageError } from '../exit-codes.js'
import type { MountedStorages } from '../serve-storages.js'
import { globals, intOption } from '../globals.js'

export const DEFAULT_PORT = 5245

interface ServeFlags {
  host: string
  port?: string
  user: string
  password?: string
  secret?: string
  proxy?: boolean
  davRedirect?: boolean
  linkTtl: string
  publicUrl?: string
  listTtl: string
  proxyConcurrency: string
  /** commander's negated flag: false with --no-ui. */
  ui: boolean
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the drive: OpenList-compatible API (/api), WebDAV (/dav/) and signed download links (/d/)')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', `port to listen on (default ${DEFAULT_PORT}, or a free one if taken)`)
    .option('--user <name>', 'admin user name', 'admin')
    .option('--password <pw>', 'admin password (default: $ALIYUNDRIVE_OPEN_PASSWORD, else generated and kept)')
    .option(
      '--secret <s>',
      'secret for link signatures and the API token (default: $ALIYUNDRIVE_OPEN_SECRET, else generated and kept)',
    )
    .option('--proxy', '/d/ links stream the bytes (with Range) instead of redirecting to AliyunDrive')
    .option('--dav-redirect', 'WebDAV GET answers 302 to AliyunDrive instead of streaming')
    .option('--link-ttl <sec>', 'lifetime of /d/ links; 0 = forever (OpenList caches raw_url forever)', '0')
    .option('--public-url <url>', 'base URL clients use to reach this server, for absolute links')
    .option('--list-ttl <ms>', 'how long folder listings are cached (writes invalidate at once)', '10000')
    .option('--proxy-concurrency <n>', 'concurrent proxied downloads (AliyunDrive caps them per user)', '2')
    .option('--no-ui', "do not serve OpenList's web UI at /")
    .action(async (flags: ServeFlags, cmd: Command) => {
      await serve(flags, cmd)
    })
}

async function serve(flags: ServeFlags, cmd: Command): Promise<void> {
  const g = globals(cmd)
  // The server, the web UI's files and the driver load here, when serve runs, not when any other command starts.
  const [
    { startServer },
    { openDriver, stderrLogger },
    { davPropsPathFor, generatePassword, loadOrCreateState, statePathFor },
    { openMountedStorages },
  ] = await Promise.all([
    import('../../server/index.js'),
    import('../open-driver.js'),
    import('../serve-state.js'),
    import('../serve-storages.js'),
  ])
  const logger = stderrLogger(g.debug)
  let emulator: EmulatorHandle | undefined
  let driver: StorageDriver | undefined
  let mounted: MountedStorages | undefined
  let password = flags.password ?? process.env.ALIYUNDRIVE_OPEN_PASSWORD
  let secret = flags.secret ?? process.env.ALIYUNDRIVE_OPEN_SECRET
  let generated = false
  const configPath = g.config ?? process.env.ALIYUNDRIVE_OPEN_CONFIG
  if (configPath) {
    mounted = await openMountedStorages(configPath, g.apiUrl, logger, intOption(flags.listTtl, '--list-ttl'))
    if (!mounted)
      driver = (await openDriver({ config: configPath, ...(g.apiUrl ? { apiUrl: g.apiUrl } : {}) }, logger)).driver
    if (!password || !secret) {
      const state = await loadOrCreateState(statePathFor(configPath), !password)
      secret ??= state.secret
      if (!password) {
        password = state.password
        generated = true
      }
    }
  } else {
    if (g.apiUrl) throw new UsageError('--api-url needs --config (the refresh token for that API)')
    const [{ demoSeed, startEmulator }, { plugin }] = await Promise.all([
      import('../../emulator/index.js'),
      import('../../plugin.js'),
    ])
    emulator = await startEmulator({ port: 0, seed: demoSeed() })
    driver = plugin.create(
      {
        refresh_token: emulator.issueRefreshToken(),
        use_online_api: false,
        client_id: emulator.clientId,
        client_secret: emulator.clientSecret,
      },
      { apiBaseUrl: emulator.apiUrl, logger },
    )
    await driver.init()
    if (!password) {
      password = generatePassword()
      generated = true
    }
  }
  const port = flags.port === undefined ? undefined : intOption(flags.port, '--port')
  const options = {
    ...(mounted ? { fs: mounted.fs } : { driver: driver! }),
    credentials: { user: flags.user, password: password! },
    ...(secret ? { secret: Buffer.from(secret, 'utf8') } : {}),
    host: flags.host,
    linkTtlSec: intOption(flags.linkTtl, '--link-ttl'),
    proxyDownloads: Boolean(flags.proxy),
    davRedirect: Boolean(flags.davRedirect),
    listTtlMs: intOption(flags.listTtl, '--list-ttl'),
    proxyConcurrency: Math.max(1, intOption(flags.proxyConcurrency, '--proxy-concurrency')),
    ...(flags.publicUrl ? { publicUrl: flags.publicUrl } : {}),
    ...(configPath ? { davPropsFile: davPropsPathFor(configPath) } : {}),
    logger,
    ui: flags.ui,
  }
  let server: RunningServer
  try {
    server = await startServer({ ...options, port: port ?? DEFAULT_PORT })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port !== undefined) throw e
    logger.warn(`port ${DEFAULT_PORT} is taken; using a free port instead`)
    server = await startServer({ ...options, port: 0 })
  }
  await printBanner(server, {
    user: flags.user,
    password: password!,
    generated,
    emulator,
    logger,
    mountLines: mounted?.lines ?? [],
    ui: flags.ui,
  })
  const stop = async () => {
    await server.close()
    await driver?.drop()
    for (const d of mounted?.drivers ?? []) await d.drop()
    await emulator?.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
}

async function printBanner(
  server: RunningServer,
  o: {
    user: string
    password: string
    generated: boolean
    emulator: EmulatorHandle | undefined
    logger: Logger
    mountLines: string[]
    ui: boolean
  },
): Promise<void> {
  let example = ''
  try {
    const first = (await server.fs.list(o.emulator ? '/Documents' : '/')).children.find((c) => !c.isFolder)
    if (first) example = server.signedUrl(first.path)
  } catch (e) {
    o.logger.warn(`could not list the drive for an example link: ${(e as Error).message}`)
  }
  const lines = [
    // The UI's address first: it is what most people who ran `npm start` want to open.
    ...(o.ui ? [`Open the web UI: ${server.url}/   (log in as the user below)`] : []),
    `aliyundrive-open serve — ${o.emulator ? `demo mount of the emulator at ${o.emulator.apiUrl}` : 'mounted your AliyunDrive'}`,
    ...o.mountLines,
    `  OpenList API : ${server.apiUrl}   (OpenList driver "OpenList": url ${server.url})`,
    `  WebDAV       : ${server.davUrl}   (OpenList driver "WebDav", rclone, cadaver…)`,
    `  user         : ${o.user}`,
    `  password     : ${o.generated ? o.password : '(as given)'}`,
    `  API token    : ${server.token}`,
    ...(example ? [`  example link : ${example}`] : []),
    `  try          : curl -u '${o.user}:${o.generated ? o.password : '…'}' ${server.davUrl}`,
    'Press Ctrl-C to stop.',
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
}
