/**
 * A raw HTTP/1.1 client over a TCP socket, for hostile-input tests. fetch and node:http normalise or refuse exactly
 * what we need to send: fetch resolves '..' and '%2e%2e' before the request leaves, node:http rejects NUL and other
 * bytes in the path and caps header sizes on the client side. Here the bytes go out as given.
 */
import { connect } from 'node:net'

export interface RawRequest {
  method: string
  /** The request target, sent verbatim (may hold '..', NUL, non-UTF-8 bytes given as latin1 chars). */
  target: string
  headers?: Record<string, string>
  body?: Buffer | string
  /** Send the first KiB of the body, then the rest after this many ms (the server sees an incomplete body). */
  holdBodyMs?: number
}

export interface RawResponse {
  status: number
  headers: Record<string, string>
  body: Buffer
  text: string
}

export async function rawRequest(port: number, req: RawRequest, timeoutMs = 15_000): Promise<RawResponse> {
  const body =
    req.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8')
  const headers: Record<string, string> = { Host: `127.0.0.1:${port}`, Connection: 'close', ...req.headers }
  if (body.length > 0 && !Object.keys(headers).some((h) => /^(content-length|transfer-encoding)$/i.test(h)))
    headers['Content-Length'] = String(body.length)
  // latin1: every char of the target and headers becomes exactly one byte, so tests can send any byte sequence.
  const head = Buffer.from(
    `${req.method} ${req.target} HTTP/1.1\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`,
    'latin1',
  )
  const raw = await new Promise<Buffer>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no complete answer to ${req.method} ${JSON.stringify(req.target)} within ${timeoutMs} ms`))
    }, timeoutMs)
    socket.on('data', (c: Buffer) => chunks.push(c))
    // The server may answer and close before it read a huge body: EPIPE/ECONNRESET on our side is then expected.
    socket.on('error', () => undefined)
    socket.on('close', () => {
      clearTimeout(timer)
      resolve(Buffer.concat(chunks))
    })
    socket.write(head)
    if (body.length > 0 && req.holdBodyMs) {
      socket.write(body.subarray(0, 1024))
      setTimeout(() => socket.writable && socket.write(body.subarray(1024)), req.holdBodyMs)
    } else if (body.length > 0) socket.write(body)
  })
  return parseResponse(raw, req)
}

function parseResponse(raw: Buffer, req: RawRequest): RawResponse {
  const end = raw.indexOf('\r\n\r\n')
  if (end < 0)
    throw new Error(
      `connection closed without an HTTP answer to ${req.method} ${JSON.stringify(req.target)} (${raw.length} bytes)`,
    )
  const lines = raw.subarray(0, end).toString('latin1').split('\r\n')
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1])
  if (!Number.isInteger(status)) throw new Error(`bad status line ${JSON.stringify(lines[0])}`)
  const headers: Record<string, string> = {}
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  let body = raw.subarray(end + 4)
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body)
  return { status, headers, body, text: body.toString('utf8') }
}

function dechunk(data: Buffer): Buffer {
  const out: Buffer[] = []
  let pos = 0
  for (;;) {
    const eol = data.indexOf('\r\n', pos)
    if (eol < 0) break
    const size = parseInt(data.subarray(pos, eol).toString('latin1'), 16)
    if (!(size > 0)) break
    out.push(data.subarray(eol + 2, eol + 2 + size))
    pos = eol + 2 + size + 2
  }
  return Buffer.concat(out)
}

/** The OpenList envelope code of an /api answer (HTTP is always 200 there), or undefined when not an envelope. */
export function envelopeCode(res: RawResponse): number | undefined {
  try {
    const code = (JSON.parse(res.text) as { code?: unknown }).code
    return typeof code === 'number' ? code : undefined
  } catch {
    return undefined
  }
}
