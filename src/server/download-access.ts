/**
 * Who may fetch a file's bytes by URL (`/d/`, `/p/`, `/ae/`): whoever holds a valid signature for that exact file
 * (OpenList's `?sign=`, what raw_url carries), or a request that authenticates as an account (token or Basic). These
 * routes only read, so anything but GET and HEAD is refused first.
 *
 * A link's path is the path its account sees, and its signature covers the drive path behind it (account-scope.ts).
 * A link without credentials is therefore checked below each account's base path: it opens the one drive file it was
 * signed for, and no other path, whoever's link it is (README "Accounts").
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { scopeFor } from './account-scope.js'
import type { ServerContext } from './context.js'
import { sendText } from './http-io.js'
import { pathFromUrl } from './safe-path.js'

export interface AdmittedDownload {
  /** The context to read in (an account's view when the request authenticated). */
  ctx: ServerContext
  path: string
}

function admitted(ctx: ServerContext, req: IncomingMessage, path: string, query: URLSearchParams) {
  const sign = query.get('sign') ?? ''
  if (sign !== '') {
    for (const base of ctx.auth.basePaths()) {
      const drivePath = base === '/' ? path : path === '/' ? base : `${base}${path}`
      if (ctx.signer.verify(drivePath, sign)) return { ctx, path: drivePath }
    }
  }
  const account = ctx.auth.checkRequest(req)
  return account ? { ctx: scopeFor(ctx, account), path } : undefined
}

/**
 * The context and path a download route may serve, or undefined once it has answered 405 or 401 itself. Throws
 * UnsafePathError for a path that is not one (the routes map it to 400).
 */
export function admitDownload(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  tail: string,
  query: URLSearchParams,
): AdmittedDownload | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'use GET or HEAD\n', { Allow: 'GET, HEAD' })
    return undefined
  }
  const found = admitted(ctx, req, pathFromUrl(tail), query)
  if (found) return found
  sendText(res, 401, 'invalid or expired sign\n')
  return undefined
}
