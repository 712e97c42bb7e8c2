/**
 * Who may fetch a file's bytes by URL (`/d/`, `/p/`, `/ae/`): whoever holds a valid signature for that exact path
 * (OpenList's `?sign=`, what raw_url carries), or a request that authenticates as the user (token or Basic).
 */
import type { IncomingMessage } from 'node:http'
import type { ServerContext } from './context.js'

export function mayDownload(ctx: ServerContext, req: IncomingMessage, path: string, query: URLSearchParams): boolean {
  const sign = query.get('sign') ?? ''
  return (sign !== '' && ctx.signer.verify(path, sign)) || ctx.auth.checkRequest(req)
}
