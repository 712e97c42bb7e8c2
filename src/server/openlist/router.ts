/**
 * /api/*: the subset of OpenList's HTTP API that its "OpenList" driver (and a curious browser) uses, with the exact
 * envelope and auth rules of docs/host-notes.md §1, plus what OpenList's web UI calls (search, other, form upload, zip
 * archives). Unknown endpoints answer code 404. The public endpoints are answered before this (public.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'
import { scopeFor } from '../account-scope.js'
import type { Account } from '../auth.js'
import type { ServerContext } from '../context.js'
import { closeAfterAnswer, LOGIN_BODY_LIMIT } from '../body-limits.js'
import { mapError } from '../error-status.js'
import { drain, headerValue, readSmallBody, sendJson } from '../http-io.js'
import { BodyTooLargeError } from '../server-errors.js'
import { archiveDecompress, archiveList, archiveMeta } from './archive/archive-api.js'
import { fail, failWith, ok } from './envelope.js'
import { fsDirs, fsGet, fsList } from './fs-read.js'
import { fsBatchRename, fsRecursiveMove, fsRemoveEmptyDirectory } from './fs-batch.js'
import { fsForm } from './fs-form.js'
import { fsOther } from './fs-other.js'
import { fsPut } from './fs-put.js'
import { fsSearch } from './fs-search.js'
import { SerializedAnswer } from './list-answer.js'
import { fsMkdir, fsMoveOrCopy, fsRemove, fsRename } from './fs-write.js'
import { dirsReq, getReq, listReq, loginReq, mkdirReq, moveCopyReq, removeReq, renameReq } from './schemas.js'
import {
  archiveDecompressReq,
  archiveListReq,
  archiveMetaReq,
  batchRenameReq,
  otherReq,
  recursiveMoveReq,
  removeEmptyReq,
  searchReq,
} from './ui-schemas.js'
import { asTask, finishedUploadTask } from './upload-task.js'
import { permissionFor } from './permissions.js'
import { throttleKeyOf } from '../login-throttle.js'
import { awaitPasswordTurn, throttledAnswer } from '../password-turn.js'

/** Every endpoint that changes the drive: refused up front for a read-only account (README "Accounts"). */
const WRITES = new Set([
  '/api/fs/put',
  '/api/fs/form',
  '/api/fs/mkdir',
  '/api/fs/rename',
  '/api/fs/move',
  '/api/fs/copy',
  '/api/fs/remove',
  '/api/fs/batch_rename',
  '/api/fs/recursive_move',
  '/api/fs/remove_empty_directory',
  '/api/fs/archive/decompress',
])

type JsonRoute<S extends z.ZodType> = {
  schema: S
  run: (ctx: ServerContext, body: z.infer<S>, req: IncomingMessage, res: ServerResponse) => Promise<unknown>
}

function route<S extends z.ZodType>(schema: S, run: JsonRoute<S>['run']): JsonRoute<z.ZodType> {
  return { schema, run } as unknown as JsonRoute<z.ZodType>
}

const FS_ROUTES: Record<string, JsonRoute<z.ZodType>> = {
  '/api/fs/list': route(listReq, (ctx, b, _req, res) => fsList(ctx, b, res)),
  '/api/fs/get': route(getReq, (ctx, b, req) => fsGet(ctx, req, b)),
  '/api/fs/dirs': route(dirsReq, (ctx, b) => fsDirs(ctx, b)),
  '/api/fs/mkdir': route(mkdirReq, async (ctx, b) => void (await fsMkdir(ctx, b))),
  '/api/fs/rename': route(renameReq, async (ctx, b) => void (await fsRename(ctx, b))),
  '/api/fs/move': route(moveCopyReq, async (ctx, b) => void (await fsMoveOrCopy(ctx, 'move', b))),
  '/api/fs/copy': route(moveCopyReq, async (ctx, b) => void (await fsMoveOrCopy(ctx, 'copy', b))),
  '/api/fs/remove': route(removeReq, async (ctx, b) => void (await fsRemove(ctx, b))),
  '/api/fs/batch_rename': route(batchRenameReq, async (ctx, b) => void (await fsBatchRename(ctx, b))),
  '/api/fs/recursive_move': route(recursiveMoveReq, async (ctx, b) => void (await fsRecursiveMove(ctx, b))),
  '/api/fs/remove_empty_directory': route(
    removeEmptyReq,
    async (ctx, b) => void (await fsRemoveEmptyDirectory(ctx, b)),
  ),
  '/api/fs/search': route(searchReq, (ctx, b) => fsSearch(ctx, b)),
  '/api/fs/other': route(otherReq, (ctx, b) => fsOther(ctx, b)),
  '/api/fs/archive/meta': route(archiveMetaReq, (ctx, b, req) => archiveMeta(ctx, req, b)),
  '/api/fs/archive/list': route(archiveListReq, (ctx, b) => archiveList(ctx, b)),
  '/api/fs/archive/decompress': route(archiveDecompressReq, (ctx, b) => archiveDecompress(ctx, b)),
}

export async function handleApi(
  serverCtx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<void> {
  try {
    if (pathname === '/api/auth/login' || pathname === '/api/auth/login/hash')
      return await login(serverCtx, req, res, pathname.endsWith('/hash'))
    const account = serverCtx.auth.checkRequest(req)
    if (!account) {
      drain(req)
      return fail(res, 401, 'Guest user is disabled, login please')
    }
    const ctx = scopeFor(serverCtx, account)
    if (pathname === '/api/me') return ok(res, me(account))
    if (pathname === '/api/auth/logout') return logout(serverCtx, req, res)
    if (account.readOnly && WRITES.has(pathname)) {
      drain(req)
      return fail(res, 403, 'this account is read-only')
    }
    if (pathname === '/api/fs/put' || pathname === '/api/fs/form') {
      if (req.method !== 'PUT') return fail(res, 405, 'use PUT')
      const started = new Date()
      await (pathname === '/api/fs/put' ? fsPut(ctx, req) : fsForm(ctx, req))
      return ok(
        res,
        asTask(req) ? finishedUploadTask(account.username, headerValue(req.headers['file-path']) ?? '', started) : null,
      )
    }
    const r = FS_ROUTES[pathname]
    if (!r) {
      drain(req)
      return fail(res, 404, `no such endpoint: ${pathname}`)
    }
    if (req.method !== 'POST') {
      drain(req)
      return fail(res, 405, 'use POST')
    }
    const body = await parseBody(req, res, r.schema)
    if (body === undefined) return
    const out = await r.run(ctx, body, req, res)
    if (out instanceof SerializedAnswer) return out.send(res)
    ok(res, out ?? null)
  } catch (e) {
    // A body too large to take is not read to its end: the answer closes the connection (body-limits.ts).
    if (mapError(e).closeConnection) closeAfterAnswer(req, res)
    drain(req)
    if (res.headersSent) return
    failWith(res, e)
  }
}

/** Parses and validates a JSON body; answers code 400 itself and returns undefined when it is bad. */
async function parseBody(
  req: IncomingMessage,
  res: ServerResponse,
  schema: z.ZodType,
  limit?: number,
): Promise<unknown> {
  let json: unknown
  try {
    const raw = await readSmallBody(req, limit)
    json = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'))
  } catch (e) {
    if (e instanceof BodyTooLargeError) {
      // 413 and close: reading the rest of an oversized body only to throw it away is what the sender wants.
      sendJson(res, 413, { code: 413, message: e.message, data: null }, { Connection: 'close' })
      return undefined
    }
    fail(res, 400, 'request body is not valid JSON')
    return undefined
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) {
    fail(res, 400, z.prettifyError(parsed.error).replace(/\s*\n\s*/g, '; '))
    return undefined
  }
  return parsed.data
}

function me(account: Account) {
  // role 2 (ADMIN) for the admin: a GUEST role would send OpenList's driver to /api/public/settings for nothing.
  // Other accounts are GENERAL (0); the UI shows a write button only for a set bit, whatever the role.
  return {
    id: 1,
    username: account.username,
    password: '',
    base_path: account.basePath,
    role: account.admin ? 2 : 0,
    disabled: false,
    permission: permissionFor(account),
    sso_id: '',
    otp: false,
  }
}

async function login(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, hashed: boolean): Promise<void> {
  if (req.method !== 'POST') {
    drain(req)
    return fail(res, 405, 'use POST')
  }
  const body = (await parseBody(req, res, loginReq, LOGIN_BODY_LIMIT)) as z.infer<typeof loginReq> | undefined
  if (!body) return
  const retryMs = await awaitPasswordTurn(ctx, req, body.username)
  if (retryMs > 0) {
    const { message, headers } = throttledAnswer(retryMs)
    return sendJson(res, 429, { code: 429, message, data: null }, headers)
  }
  const account = hashed
    ? ctx.auth.checkLoginHash(body.username, body.password)
    : ctx.auth.checkLogin(body.username, body.password)
  if (!account) {
    ctx.loginThrottle?.failed(throttleKeyOf(req, ctx.auth.throttleUser(body.username)))
    return fail(res, 400, 'password is incorrect')
  }
  ok(res, { token: ctx.auth.tokenOf(account) })
}

/**
 * Ends the session of the token the request carries, and only that one. OpenList routes it as GET (its UI calls
 * `GET /api/auth/logout`, server/router.go); POST is accepted too, as the natural method for it.
 */
function logout(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): void {
  drain(req)
  if (req.method !== 'GET' && req.method !== 'POST') return fail(res, 405, 'use GET or POST')
  if (!ctx.auth.endSession(req)) return fail(res, 400, 'logout ends an API token session; Basic credentials have none')
  ok(res, null)
}
