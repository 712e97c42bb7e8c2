/**
 * `serve`: mounts a drive and serves it as an OpenList-compatible API, WebDAV and stable /d links. Without --config it
 * mounts the emulator with its demo tree, so `npm start` on a fresh clone shows something real within seconds.
 */
import type { Command } from 'commander'
import { DEFAULT_PORT, type ServeFlags } from './serve-flags.js'
import { httpUrl, listenHost, nonEmpty, nonNegativeInt, portNumber, positiveInt } from '../option-parsers.js'

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the drive: OpenList-compatible API (/api), WebDAV (/dav/) and signed download links (/d/)')
    .option('--host <addr>', 'address to listen on', listenHost, '127.0.0.1')
    .option(
      '--port <n>',
      `port to listen on (default ${DEFAULT_PORT}, or a free one if that is taken; a taken --port is an error)`,
      portNumber,
    )
    .option('--user <name>', 'admin user name', nonEmpty, 'admin')
    .option(
      '--password <pw>',
      'admin password (default: $ALIYUNDRIVE_OPEN_PASSWORD, else generated and kept)',
      nonEmpty,
    )
    .option(
      '--secret <s>',
      'secret for link signatures and the API token (default: $ALIYUNDRIVE_OPEN_SECRET, else generated and kept)',
      nonEmpty,
    )
    .option('--proxy', '/d/ links stream the bytes (with Range) instead of redirecting to AliyunDrive')
    .option('--dav-redirect', 'WebDAV GET answers 302 to AliyunDrive instead of streaming')
    .option(
      '--link-ttl <sec>',
      'lifetime of /d/ links; 0 = forever (OpenList caches raw_url forever)',
      nonNegativeInt,
      0,
    )
    .option('--public-url <url>', 'base URL clients use to reach this server, for absolute links', httpUrl)
    .option('--list-ttl <ms>', 'how long folder listings are cached (writes invalidate at once)', nonNegativeInt, 10000)
    .option('--proxy-concurrency <n>', 'concurrent proxied downloads (AliyunDrive caps them per user)', positiveInt, 2)
    .option(
      '--token-expires-in <hours>',
      "lifetime of an API token (each login's session); as OpenList's token_expires_in",
      positiveInt,
      48,
    )
    .option(
      '--archive-extract-limit <MiB>',
      'most bytes one archive decompress request may write, in MiB',
      positiveInt,
      16384,
    )
    .option('--no-ui', "do not serve OpenList's web UI at /")
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (chain); re-read on SIGHUP')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert; re-read on SIGHUP')
    .option(
      '--users <file>',
      'JSON array of accounts beside the admin: {username, password | password_sha256, read_only, base_path}; ' +
        're-read on SIGHUP',
    )
    .option('--read-only', 'refuse every write, for every account (the admin too)')
    .option(
      '--trust-proxy <addrs>',
      'addresses or CIDR ranges (comma separated) of reverse proxies whose X-Forwarded-For/-Host/-Proto are believed',
    )
    // Connection caps (src/server/connection-cap.ts): over either, a new connection gets 503 + Retry-After.
    .option('--max-connections <n>', 'open connections at once, all clients together', positiveInt, 1000)
    .option(
      '--max-connections-per-address <n>',
      "open connections at once from one client address (behind --trust-proxy: the proxy's own address)",
      positiveInt,
      200,
    )
    .option('--fresh', 'start the demo drive (no --config) over: forget its files, tokens and password')
    .action(async (flags: ServeFlags, cmd: Command) => {
      // Loaded when serve runs: `--help` of any command never loads the server or the emulator.
      const { serve } = await import('./serve-run.js')
      await serve(flags, cmd)
    })
}
