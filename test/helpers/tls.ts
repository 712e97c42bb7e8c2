/**
 * TLS for the HTTPS tests: a self-signed certificate made at run time with the `openssl` CLI (Debian's, installed
 * with the system; a missing one fails the test with the install command), and a small HTTPS client that trusts it
 * and reports which certificate the server showed.
 */
import { spawnSync } from 'node:child_process'
import { Agent, request } from 'node:https'
import type { TLSSocket } from 'node:tls'
import { join } from 'node:path'

export interface CertFiles {
  certFile: string
  keyFile: string
}

/** A certificate for 127.0.0.1 and localhost, valid for a day, written as `<name>.crt` and `<name>.key` in `dir`. */
export function makeCertificate(dir: string, name = 'server'): CertFiles {
  const certFile = join(dir, `${name}.crt`)
  const keyFile = join(dir, `${name}.key`)
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { encoding: 'utf8' },
  )
  if (r.error || r.status !== 0)
    throw new Error(`openssl could not make a certificate (apt-get install -y openssl): ${r.stderr ?? r.error}`)
  return { certFile, keyFile }
}

export interface HttpsAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
  /** The CN of the certificate the server presented. */
  peerName: string
  /** True when the request went over a connection an earlier request had opened. */
  reused: boolean
}

/** One HTTPS request trusting `ca`; a new connection unless `agent` (a keep-alive one) is given. */
export function httpsRequest(
  url: string,
  opts: { ca: Buffer | string; method?: string; headers?: Record<string, string>; body?: string; agent?: Agent },
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: opts.method ?? 'GET',
        headers: opts.headers ?? {},
        ca: opts.ca,
        // Without an agent of the caller's: a new connection with a full handshake (no kept-alive socket, no resumed
        // TLS session), so the certificate seen is the one the server presents now.
        agent: opts.agent ?? new Agent({ keepAlive: false, maxCachedSessions: 0 }),
      },
      (res) => {
        const peerName = String((res.socket as TLSSocket).getPeerCertificate().subject?.CN ?? '')
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            peerName,
            reused: req.reusedSocket,
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(opts.body)
  })
}
