/**
 * Fault injection. Decisions are drawn from seeded PRNGs in request order, so one seed and one call sequence always
 * give the same faults. API calls and part PUTs use separate streams so part uploads do not shift API decisions.
 * Faults never corrupt state: they are decided before a call is applied, and a faulted call is never applied.
 */
import { mulberry32 } from '../prng.js'
import type { FaultOptions } from '../types.js'

export type ApiFault = { kind: 'drop' } | { kind: 'error'; status: 500 | 503 } | { kind: 'rateLimit' } | undefined

export class Faults {
  private opts: FaultOptions = {}
  private apiRandom = mulberry32(0)
  private partRandom = mulberry32(0)
  private answerRandom = mulberry32(0)
  private forced429 = 0

  constructor(opts: FaultOptions | undefined) {
    this.set(opts ?? {})
  }

  set(opts: FaultOptions): void {
    this.opts = { ...opts }
    const seed = opts.seed ?? 1
    this.apiRandom = mulberry32(seed)
    this.partRandom = mulberry32(seed ^ 0x5bd1e995)
    this.answerRandom = mulberry32(seed ^ 0x27d4eb2f)
    this.forced429 = opts.rateLimitBurst ?? 0
  }

  get latencyMs(): number {
    return this.opts.latencyMs ?? 0
  }

  get downloadLatencyMs(): number {
    return this.opts.downloadLatencyMs ?? 0
  }

  get listedUrlsServeOtherBytes(): boolean {
    return this.opts.listedUrlsServeOtherBytes === true
  }

  get expireUrlsEarly(): boolean {
    return this.opts.expireUrlsEarly === true
  }

  /** One decision per API call; always draws the same number of values so the sequence stays aligned. */
  nextApiFault(): ApiFault {
    const dropDraw = this.apiRandom()
    const errorDraw = this.apiRandom()
    const statusDraw = this.apiRandom()
    if (this.forced429 > 0) {
      this.forced429--
      return { kind: 'rateLimit' }
    }
    if (dropDraw < (this.opts.dropRate ?? 0)) return { kind: 'drop' }
    if (errorDraw < (this.opts.errorRate ?? 0)) return { kind: 'error', status: statusDraw < 0.5 ? 500 : 503 }
    return undefined
  }

  /** Whether the answer of an applied API call is lost; its own stream, so the other decisions do not shift. */
  nextAnswerLost(path: string): boolean {
    const lost = this.answerRandom() < (this.opts.lostAnswerRate ?? 0)
    return lost && (this.opts.lostAnswerPaths === undefined || this.opts.lostAnswerPaths.includes(path))
  }

  holds(path: string): boolean {
    return this.opts.holdPaths?.includes(path) === true
  }

  get repeatedCompleteFails(): boolean {
    return this.opts.repeatedCompleteFails === true
  }

  nextPartFails(): boolean {
    return this.partRandom() < (this.opts.partFailRate ?? 0)
  }
}
