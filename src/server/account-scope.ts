/**
 * The server context one account's request runs in (README "Accounts"): the file service seen from its base path and
 * refusing writes when it is read-only (scoped-fs.ts), write serialisation and link signatures on the drive paths
 * behind its paths (so a link signed for one account's file opens that file and no other), and WebDAV locks of its
 * own. Built once per account setting and reused, so the listing answers cached per file service (fs-read.ts) stay
 * warm between requests.
 */
import type { Account } from './auth.js'
import type { ServerContext } from './context.js'
import { ScopedFs } from './scoped-fs.js'

const scopes = new WeakMap<ServerContext, Map<string, ServerContext>>()

export function scopeFor(ctx: ServerContext, account: Account): ServerContext {
  // The writable admin sees the drive as it is: the context every route used before accounts existed.
  if (account.admin && !account.readOnly && account.basePath === '/') return { ...ctx, account }
  let byKey = scopes.get(ctx)
  if (!byKey) scopes.set(ctx, (byKey = new Map<string, ServerContext>()))
  const key = `${account.username}\0${account.basePath}\0${account.readOnly}`
  const known = byKey.get(key)
  if (known) return known
  const fs = new ScopedFs(ctx.fs, account.basePath, account.readOnly)
  const scoped: ServerContext = {
    ...ctx,
    account,
    fs,
    pathLock: {
      run: (paths, fn) =>
        ctx.pathLock.run(
          paths.map((p) => fs.real(p)),
          fn,
        ),
    },
    signer: {
      ttlSec: ctx.signer.ttlSec,
      sign: (path, now) => ctx.signer.sign(fs.real(path), now),
      verify: (path, sign, now) => ctx.signer.verify(fs.real(path), sign, now),
    },
    dav: ctx.dav.forAccount(account.admin, (p) => fs.real(p)),
  }
  byKey.set(key, scoped)
  return scoped
}
