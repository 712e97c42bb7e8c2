/**
 * Requests exactly as OpenList's "OpenList" driver makes them (drivers/openlist/util.go): raw token in Authorization,
 * JSON POSTs, and PUT /api/fs/put with File-Path as raw UTF-8 bytes (Go sends it unencoded; node:http writes header
 * strings as latin1, so the latin1 view of the UTF-8 bytes puts the same bytes on the wire).
 */
import { request } from 'node:http'

export interface Reply {
  status: number
  // Loose JSON on purpose: each test reads the fields its endpoint answers with.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any
  headers: Record<string, string | string[] | undefined>
}

export function raw(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: Buffer | string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // Not request(url): WHATWG URL parsing would resolve '%2e%2e' segments before they reach the server under test.
    const m = /^http:\/\/([^/:]+):(\d+)(\/.*)?$/.exec(url)
    if (!m) throw new Error(`not a loopback http URL: ${url}`)
    const req = request({ host: m[1], port: Number(m[2]), path: m[3] ?? '/', method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let json: unknown = text
        try {
          json = JSON.parse(text)
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, json, headers: res.headers })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

export class OpenListClient {
  constructor(
    readonly base: string,
    public token: string,
  ) {}

  post(api: string, body: unknown): Promise<Reply> {
    return raw(
      `${this.base}/api${api}`,
      'POST',
      { Authorization: this.token, 'Content-Type': 'application/json' },
      JSON.stringify(body),
    )
  }

  get(api: string): Promise<Reply> {
    return raw(`${this.base}/api${api}`, 'GET', { Authorization: this.token })
  }

  put(filePath: string, bytes: Buffer, extra: Record<string, string> = {}): Promise<Reply> {
    return raw(
      `${this.base}/api/fs/put`,
      'PUT',
      {
        Authorization: this.token,
        'File-Path': Buffer.from(filePath, 'utf8').toString('latin1'),
        Password: '',
        'Content-Length': String(bytes.byteLength),
        'Content-Type': 'application/octet-stream',
        ...extra,
      },
      bytes,
    )
  }

  /** PUT /api/fs/put with a chunked body (no Content-Length), as a client streaming what it does not know the size of. */
  putChunked(filePath: string, bytes: Buffer, extra: Record<string, string> = {}): Promise<Reply> {
    return raw(
      `${this.base}/api/fs/put`,
      'PUT',
      { Authorization: this.token, 'File-Path': filePath, 'Transfer-Encoding': 'chunked', ...extra },
      bytes,
    )
  }

  /** PUT /api/fs/form: the file as the one part of a multipart body, as the web UI's form upload sends it. */
  form(filePath: string, bytes: Buffer, extra: Record<string, string> = {}): Promise<Reply> {
    const boundary = 'openlist-client-boundary'
    return raw(
      `${this.base}/api/fs/form`,
      'PUT',
      {
        Authorization: this.token,
        'File-Path': filePath,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        ...extra,
      },
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n` +
            'Content-Type: application/octet-stream\r\n\r\n',
        ),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    )
  }
}
