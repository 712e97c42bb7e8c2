/**
 * Time and size limits for what clients send (RELIABILITY.md, "A stalled client never holds the server"). Without
 * them 400 strangers posting an unfinished 1 MB login body held 380 MB of buffers and their sockets forever:
 * `requestTimeout` has to stay 0 (it would cut large uploads mid-body), so every other limit is set here instead.
 * - headers must arrive within `headersMs`;
 * - a request that is not an upload must have sent its whole body within `bodyMs`, or it gets 408 and the connection
 *   is closed (this covers login, every JSON body, PROPFIND, and unauthenticated bodies being drained after a 401);
 * - any connection with no traffic at all for `idleMs` is closed: an upload that stops making progress, a paused
 *   reader that never comes back, an idle socket. Generous, because an upload only ends there when it has stalled;
 * - login bodies are capped at LOGIN_BODY_LIMIT before any password is checked, and a Content-Length above a cap is
 *   refused before a byte of the body is read.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { Server as HttpsServer } from 'node:https'

export interface ServerTimeouts {
  /** Request line and headers. Default 20 s. */
  headersMs: number
  /** The whole body of a request that is not an upload. Default 10 s. */
  bodyMs: number
  /** A connection without any traffic either way. Default 5 min. */
  idleMs: number
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = { headersMs: 20_000, bodyMs: 10_000, idleMs: 5 * 60_000 }

/** A login body is two short strings; a few KiB is plenty and is all a stranger can make us hold. */
export const LOGIN_BODY_LIMIT = 4 * 1024

/**
 * What a request that did not authenticate may send and still have its connection kept: enough for a login, a
 * PROPFIND or a client's first try before it answers the Basic challenge; anything larger is not read.
 */
export const STRANGER_BODY_LIMIT = 4 * 1024

/** Applies the connection-level limits to the server (headers, idle). */
export function applyServerTimeouts(server: Server | HttpsServer, t: ServerTimeouts): void {
  server.headersTimeout = t.headersMs
  // Node checks headersTimeout on this interval; its default (30 s) would let a stalled header live 50 s.
  ;(server as Server & { connectionsCheckingInterval?: number }).connectionsCheckingInterval = Math.min(
    30_000,
    Math.max(100, Math.floor(t.headersMs / 4)),
  )
  server.setTimeout(t.idleMs)
}

/**
 * Uploads are the only bodies allowed to take long: WebDAV PUT and OpenList's /api/fs/put (PUT) and /api/fs/form
 * (POST), and only once the request has authenticated (start-server.ts). The idle limit still ends an upload that
 * stops making progress.
 */
export function isUploadRequest(req: IncomingMessage, rawPath: string): boolean {
  return req.method === 'PUT' || rawPath === '/api/fs/form'
}

/**
 * For a request that did not authenticate (RELIABILITY.md, "Unauthenticated bodies hold nothing"): a body over
 * STRANGER_BODY_LIMIT (or of unknown length) is never read beyond what has already arrived — the answer says
 * `Connection: close` and the socket is destroyed once the answer is written, whatever the handler does.
 */
export function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  const length = req.headers['content-length']
  const chunked = req.headers['transfer-encoding'] !== undefined
  const small = length === undefined || (/^\d+$/.test(length) && Number(length) <= STRANGER_BODY_LIMIT)
  if (req.complete || (small && !chunked)) return
  const socket = req.socket
  res.setHeader('Connection', 'close')
  res.once('finish', () => {
    if (!req.complete) socket.destroy()
  })
  // An answer that never comes (a handler waiting for the body) is ended by the body deadline, armed for strangers.
}

/**
 * Arms the body deadline of a non-upload request: if its body has not fully arrived within `bodyMs`, the client gets
 * 408 (when nothing was answered yet) and the connection is closed, whatever the handler is waiting for.
 */
export function armBodyDeadline(req: IncomingMessage, res: ServerResponse, bodyMs: number): void {
  if (req.complete) return
  // Kept here: Node sets req.socket to null once the request is done with it, while the socket lives on.
  const socket = req.socket
  const timer = setTimeout(() => {
    if (req.complete) return
    if (!res.headersSent) {
      const text = `the request body did not arrive within ${Math.round(bodyMs / 1000)} s\n`
      res.writeHead(408, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': Buffer.byteLength(text),
        Connection: 'close',
      })
      res.end(text, () => socket.destroy())
    } else {
      socket.destroy()
    }
  }, bodyMs)
  timer.unref()
  // Both listeners go away together: a keep-alive socket serves many requests and must not collect them.
  const clear = () => {
    clearTimeout(timer)
    req.off('end', clear)
    socket.off('close', clear)
  }
  req.once('end', clear)
  socket.once('close', clear)
}
