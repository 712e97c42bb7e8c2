/** fs/list, fs/get and fs/dirs: the read side OpenList's "OpenList" driver uses (List and Link). */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { z } from 'zod'
import type { Obj } from '../../host/types.js'
import type { ServerContext } from '../context.js'
import { relayUrlOf } from '../download-policy.js'
import { requestBaseUrl } from '../http-io.js'
import { cleanPath, encodePath } from '../safe-path.js'
import { ListAnswers, type SerializedAnswer } from './list-answer.js'
import { mountDetailsOf } from './mount-details.js'
import { toObjResp } from './obj-resp.js'
import type { dirsReq, getReq, listReq } from './schemas.js'

const PROVIDER = 'AliyundriveOpen'

/**
 * The stable download URL OpenList caches forever (docs/host-notes.md §1): ours, never AliyunDrive's. A `web_proxy`
 * row's is the relay (`down_proxy_url`) or our `/p/`, as OpenList's fs/get builds it (docs/host-notes.md §8.1).
 */
export function rawUrlOf(ctx: ServerContext, req: IncomingMessage, obj: Obj): string {
  const proxy = ctx.fs.proxyAt(obj.path)
  const relay = proxy.webProxy ? relayUrlOf(ctx, proxy, obj.path) : undefined
  if (relay) return relay
  const route = proxy.webProxy ? 'p' : 'd'
  return `${requestBaseUrl(req, ctx.publicUrl)}/${route}${encodePath(obj.path)}?sign=${encodeURIComponent(ctx.signer.sign(obj.path))}`
}

/** Serialized answers shared while their listing is cached (list-answer.ts), one store per FsService. */
const answers = new WeakMap<object, ListAnswers>()

export async function fsList(
  ctx: ServerContext,
  body: z.infer<typeof listReq>,
  res: ServerResponse,
): Promise<SerializedAnswer> {
  const { children } = await ctx.fs.list(cleanPath(body.path), body.refresh)
  const details = await mountDetailsOf(ctx.fs, children, body.refresh)
  // per_page < 1 means "everything" (PageReq.Validate turns it into MaxInt).
  const page = Math.max(1, body.page)
  const perPage = body.per_page < 1 ? children.length : body.per_page
  let store = answers.get(ctx.fs)
  if (!store) answers.set(ctx.fs, (store = new ListAnswers()))
  return store.get(children, `${body.per_page < 1 ? 'all' : `${page}/${perPage}`}`, ctx.signer.ttlSec, res, () => {
    const slice = body.per_page < 1 ? children : children.slice((page - 1) * perPage, page * perPage)
    return {
      content: slice.map((o) => {
        const mount = details.get(o.path)
        return { ...toObjResp(o, ctx.signer.sign(o.path)), ...(mount ? { mount_details: mount } : {}) }
      }),
      total: children.length,
      readme: '',
      header: '',
      // The UI hides its write tools when false (README "Accounts"); answers are kept per account's view (ctx.fs).
      write: ctx.account?.readOnly !== true,
      provider: PROVIDER,
    }
  })
}

export async function fsGet(ctx: ServerContext, req: IncomingMessage, body: z.infer<typeof getReq>) {
  const obj = await ctx.fs.stat(cleanPath(body.path))
  return {
    ...toObjResp(obj, ctx.signer.sign(obj.path)),
    raw_url: obj.isFolder ? '' : rawUrlOf(ctx, req, obj),
    readme: '',
    header: '',
    provider: PROVIDER,
    related: [],
  }
}

export async function fsDirs(ctx: ServerContext, body: z.infer<typeof dirsReq>) {
  const { children } = await ctx.fs.list(cleanPath(body.path))
  return children.filter((o) => o.isFolder).map((o) => ({ name: o.name, modified: o.modified.toISOString() }))
}
