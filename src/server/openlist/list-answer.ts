/**
 * /api/fs/list answers serialized once and shared (RELIABILITY.md, "Big folders do not multiply memory"). A
 * 20,000-entry listing is about 8 MB of JSON; rebuilt per request, 50 concurrent listings held 50 copies, and a warm
 * listing cost 7× the time of sending the same bytes. The bytes are kept with the cached listing they were built from
 * (a WeakMap keyed by the listing's array), so any write that invalidates the listing drops them too. Building is
 * synchronous, so concurrent requests for one listing can never build it twice (single flight by construction).
 * Answers that cannot be shared (no listing cache, `refresh`) and are large are bounded: at most LARGE_AT_ONCE of them
 * exist at a time, each until its response has been written out.
 */
import type { ServerResponse } from 'node:http'
import type { Obj } from '../../host/types.js'
import { Semaphore } from '../semaphore.js'

/** A listing above this many entries makes a large answer (≈ 400 bytes of JSON per entry). */
const LARGE_ENTRIES = 2_000
const LARGE_AT_ONCE = 4
/** Reuse bound when /d signs expire: the sign in a shared answer must keep most of its life. */
const MAX_REUSE_MS = 30_000
const KEYS_PER_LISTING = 8

/** An API answer already serialized, envelope included. */
export class SerializedAnswer {
  constructor(readonly body: Buffer) {}

  send(res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': this.body.byteLength })
    res.end(this.body)
  }
}

interface Built {
  answer: SerializedAnswer
  at: number
}

export class ListAnswers {
  private readonly built = new WeakMap<Obj[], Map<string, Built>>()
  private readonly large = new Semaphore(LARGE_AT_ONCE)

  /**
   * @param children the listing as the cache holds it (its identity is the cache key)
   * @param signTtlSec lifetime of the /d signs inside the answer (0 = forever)
   */
  async get(
    children: Obj[],
    key: string,
    signTtlSec: number,
    res: ServerResponse,
    build: () => unknown,
  ): Promise<SerializedAnswer> {
    const reuseMs = signTtlSec === 0 ? Number.POSITIVE_INFINITY : Math.min(MAX_REUSE_MS, (signTtlSec * 1000) / 10)
    const byKey = this.built.get(children)
    const hit = byKey?.get(key)
    if (hit && Date.now() - hit.at <= reuseMs) return hit.answer
    if (children.length > LARGE_ENTRIES) {
      // Held until this response is written out: that is how long its bytes live.
      const release = await this.large.acquire()
      res.once('close', release)
    }
    const answer = new SerializedAnswer(Buffer.from(JSON.stringify({ code: 200, message: 'success', data: build() })))
    const map = byKey ?? new Map<string, Built>()
    if (map.size >= KEYS_PER_LISTING) map.delete(map.keys().next().value!)
    map.set(key, { answer, at: Date.now() })
    this.built.set(children, map)
    return answer
  }
}
