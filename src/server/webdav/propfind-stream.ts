/**
 * Sends a multistatus without building it whole (RELIABILITY.md, "Big folders do not multiply memory"). A 20,000-entry
 * folder is about 10 MB of XML; built per request, 50 concurrent PROPFINDs held 50 copies at once. A large answer is
 * written in batches of entries instead, each batch only once the previous one has drained into the socket, so a
 * request holds one batch at a time however slowly its client reads. Small answers keep a Content-Length.
 */
import type { ServerResponse } from 'node:http'
import type { Obj } from '../../host/types.js'
import { MULTISTATUS_CLOSE as TAIL, MULTISTATUS_OPEN as HEAD } from './propfind.js'

/** Up to this many entries the answer is built whole and sent with a Content-Length (what most clients get). */
const STREAM_ABOVE_ENTRIES = 500
const ENTRIES_PER_BATCH = 200

const CONTENT_TYPE = 'application/xml; charset=utf-8'

export async function sendMultistatus(res: ServerResponse, objs: Obj[], render: (obj: Obj) => string): Promise<void> {
  if (objs.length <= STREAM_ABOVE_ENTRIES) {
    const xml = HEAD + objs.map(render).join('') + TAIL
    res.writeHead(207, { 'Content-Type': CONTENT_TYPE, 'Content-Length': Buffer.byteLength(xml) })
    res.end(xml)
    return
  }
  res.writeHead(207, { 'Content-Type': CONTENT_TYPE })
  if (!(await write(res, HEAD))) return
  for (let i = 0; i < objs.length; i += ENTRIES_PER_BATCH) {
    if (
      !(await write(
        res,
        objs
          .slice(i, i + ENTRIES_PER_BATCH)
          .map(render)
          .join(''),
      ))
    )
      return
  }
  res.end(TAIL)
}

/** Writes and waits for the socket to take it; false when the client went away. */
function write(res: ServerResponse, text: string): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false)
  if (res.write(text)) return Promise.resolve(true)
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      res.off('drain', onDrain)
      res.off('close', onClose)
      resolve(ok)
    }
    const onDrain = () => done(true)
    const onClose = () => done(false)
    res.on('drain', onDrain)
    res.on('close', onClose)
  })
}
