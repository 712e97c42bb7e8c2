/**
 * The size of a Live Photo's delivered stream when the answer carried no `streams_info` for it (docs/api-notes.md
 * §13.2): learned once per file version with a one-byte ranged GET of the stream URL (the URL the link cache then
 * keeps for the download itself), so a listing's size and a GET's Content-Length agree. A ranged GET, not a HEAD:
 * the stream URL is signed for GET, and OSS signatures cover the method.
 */
import { DriverError } from '../errors/index.js'
import type { CallOptions, Link, Logger, Obj } from '../host/types.js'
import { dataGet } from '../http/data-plane/index.js'
import type { WireFile } from '../api/wire.js'
import { livpStreamSizeUnknown, type LivpFormat } from '../paths/to-obj.js'

/** Sizes remembered per file version; past this many, the oldest go. */
const MAX_KNOWN = 10_000

export class LivpSizes {
  private readonly known = new Map<string, number>()

  constructor(
    private readonly format: LivpFormat,
    private readonly linkOf: (obj: Obj, opts: CallOptions) => Promise<Link>,
    private readonly logger: Logger | undefined,
  ) {}

  /** Sets the size of every `objs[i]` whose `wires[i]` lacks the stream's size. */
  async complete(wires: WireFile[], objs: Obj[], opts: CallOptions = {}): Promise<void> {
    await Promise.all(
      wires.map(async (wire, i) => {
        if (!livpStreamSizeUnknown(wire, this.format)) return
        const obj = objs[i]!
        const key = `${wire.file_id}\0${wire.content_hash ?? ''}\0${wire.updated_at ?? ''}`
        let size = this.known.get(key)
        if (size === undefined) {
          try {
            size = await streamSize(await this.linkOf(obj, opts), opts.signal)
          } catch (e) {
            // The entry stays listed (with the container's size); its GET will say what is wrong.
            this.logger?.warn(`cannot learn the size of Live Photo "${obj.path}": ${(e as Error).message}`)
            return
          }
          if (this.known.size >= MAX_KNOWN) this.known.delete(this.known.keys().next().value!)
          this.known.set(key, size)
        }
        obj.size = size
      }),
    )
  }
}

async function streamSize(link: Link, signal?: AbortSignal): Promise<number> {
  const res = await dataGet(link.url, {
    headers: link.headers ?? {},
    range: { start: 0, end: 0 },
    signal,
    label: 'the size of a Live Photo stream',
  })
  // The headers are the answer; a host that ignored the Range would otherwise send the whole stream.
  res.destroy()
  const header = (name: string) => {
    const v = res.headers[name]
    return Array.isArray(v) ? v[0] : v
  }
  const total = /\/(\d+)\s*$/.exec(header('content-range') ?? '')?.[1]
  const size = res.statusCode === 206 ? total : res.statusCode === 200 ? header('content-length') : undefined
  if (size === undefined || !/^\d+$/.test(size))
    throw new DriverError('UPSTREAM', `the stream URL answered HTTP ${res.statusCode} without a size`)
  return Number(size)
}
