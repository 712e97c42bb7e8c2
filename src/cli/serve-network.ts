/**
 * How `serve` meets the network (README "Putting serve on a network"): the TLS flag pair, and the warning when it
 * listens beyond this machine in plain HTTP, where the Basic password and the API token can be read on the way.
 */
import { isIP } from 'node:net'
import { TlsFileError } from '../server/server-errors.js'
import { loadTlsPair, type TlsFiles } from '../server/tls-files.js'
import { UsageError } from './exit-codes.js'

/** The TLS files of the flags, checked (both given, readable, a certificate and its key) before anything starts. */
export async function tlsFilesOf(flags: { tlsCert?: string; tlsKey?: string }): Promise<TlsFiles | undefined> {
  if (flags.tlsCert === undefined && flags.tlsKey === undefined) return undefined
  if (flags.tlsCert === undefined) throw new UsageError('--tls-key needs --tls-cert (the certificate it belongs to)')
  if (flags.tlsKey === undefined)
    throw new UsageError('--tls-cert needs --tls-key (the private key of the certificate)')
  const files = { certFile: flags.tlsCert, keyFile: flags.tlsKey }
  try {
    await loadTlsPair(files)
  } catch (e) {
    throw e instanceof TlsFileError ? new UsageError(e.message) : e
  }
  return files
}

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  if (h === 'localhost' || h === '::1') return true
  if (isIP(h) === 4) return h.startsWith('127.')
  return /^::ffff:127\./.test(h)
}

/** The warning for plain HTTP beyond loopback, or undefined when there is nothing to warn about. */
export function cleartextWarning(host: string, tls: TlsFiles | undefined): string | undefined {
  if (tls || isLoopbackHost(host)) return undefined
  return (
    `--host ${host} without TLS: passwords and the API token travel in clear over the network. ` +
    'Serve HTTPS with --tls-cert FILE --tls-key FILE, or keep --host 127.0.0.1 behind a reverse proxy that ' +
    'terminates TLS (README "Putting serve on a network").'
  )
}
