/**
 * Who may fetch a file's bytes by URL (`/d/`, `/p/`, `/ae/`): whoever holds a valid signature for that exact path
 * (OpenList's `?sign=`, what raw_url carries), or a request that authenticates as the user (token or Basic). These
 * routes only read, so anything but GET and HEAD is refused first.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerContext } from './context.js'
import { sendText } from './http-util.js'
import { pathFromUrl } from './safe-path.js'

function mayDownload(ctx: ServerContext, req: IncomingMessage, path: string, query: URLSearchParams): boolean {
  const sign = query.get('sign') ?? ''
  return (sign !== '' && ctx.signer.verify(path, sign)) || ctx.auth.checkRequest(req)
}

/**
 * The drive path a download route may serve, or undefined once it has answered 405 or 401 itself. Throws
 * UnsafePathError for a path that is not one (the routes map it to 400).
 */
export function admitDownload(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  tail: string,
  query: URLSearchParams,
): string | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'use GET or HEAD\n', { Allow: 'GET, HEAD' })
    return undefined
  }
  const path = pathFromUrl(tail)
  if (mayDownload(ctx, req, path, query)) return path
  sendText(res, 401, 'invalid or expired sign\n')
  return undefined
}
