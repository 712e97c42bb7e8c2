/**
 * /api/fs/other: a driver-specific call on one object, answered as OpenList's FsOther does, with the driver's result
 * as `data` unchanged. For AliyundriveOpen that is `video_preview`, whose play info the web UI's Aliyun video player
 * reads (`video_preview_play_info.live_transcoding_task_list[].url`).
 */
import type { z } from 'zod'
import type { ServerContext } from '../context.js'
import { cleanPath } from '../safe-path.js'
import type { otherReq } from './ui-schemas.js'

export async function fsOther(ctx: ServerContext, body: z.infer<typeof otherReq>) {
  const obj = await ctx.fs.stat(cleanPath(body.path))
  return ctx.fs.other(body.method, obj)
}
