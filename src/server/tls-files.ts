/**
 * The certificate and key `serve --tls-cert/--tls-key` read (README "HTTPS"). Each file is checked on its own before
 * the pair is put together, so an error names the file at fault: missing, unreadable, not a certificate, not a
 * private key, or a key that belongs to another certificate. The pair is read at start and again on SIGHUP (a renewed
 * certificate); a failed reload keeps the pair in use.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createSecureContext, type SecureContext } from 'node:tls'
import { TlsFileError } from './server-errors.js'

export interface TlsFiles {
  certFile: string
  keyFile: string
}

export interface TlsPair {
  cert: Buffer
  key: Buffer
  context: SecureContext
}

export async function loadTlsPair(files: TlsFiles): Promise<TlsPair> {
  const cert = await readTlsFile(files.certFile, '--tls-cert')
  const key = await readTlsFile(files.keyFile, '--tls-key')
  try {
    new X509Certificate(cert)
  } catch {
    throw new TlsFileError(`--tls-cert ${files.certFile}: not a PEM certificate`)
  }
  try {
    createPrivateKey(key)
  } catch {
    throw new TlsFileError(`--tls-key ${files.keyFile}: not a PEM private key (an encrypted key is not supported)`)
  }
  try {
    return { cert, key, context: createSecureContext({ cert, key }) }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH')
      throw new TlsFileError(
        `--tls-key ${files.keyFile} does not belong to the certificate in --tls-cert ${files.certFile}`,
      )
    throw new TlsFileError(
      `cannot use --tls-cert ${files.certFile} with --tls-key ${files.keyFile}: ${(e as Error).message}`,
    )
  }
}

async function readTlsFile(path: string, flag: string): Promise<Buffer> {
  try {
    return await readFile(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new TlsFileError(`${flag} ${path}: no such file`)
    if (code === 'EACCES') throw new TlsFileError(`${flag} ${path}: permission denied (serve cannot read it)`)
    if (code === 'EISDIR') throw new TlsFileError(`${flag} ${path}: is a folder, not a file`)
    throw new TlsFileError(`${flag} ${path}: cannot read it (${code ?? (e as Error).message})`)
  }
}
