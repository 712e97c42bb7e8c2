/** Authorization codes for `grant_type=authorization_code`: single-use, valid 10 minutes (docs/api-notes.md §2.1). */
import { newHex } from '../ids.js'

const CODE_TTL_MS = 10 * 60 * 1000

export class AuthCodes {
  private readonly codes = new Map<string, { userId: string; clientId: string; expMs: number }>()

  constructor(private readonly now: () => number) {}

  issue(userId: string, clientId: string): string {
    const code = newHex(16)
    this.codes.set(code, { userId, clientId, expMs: this.now() + CODE_TTL_MS })
    return code
  }

  peek(code: string): { userId: string; clientId: string } | undefined {
    return this.codes.get(code)
  }

  /** Consumes the code; undefined when unknown, used, expired or issued to another client. */
  redeem(code: string, clientId: string): string | undefined {
    const rec = this.codes.get(code)
    this.codes.delete(code)
    if (!rec || rec.expMs <= this.now() || rec.clientId !== clientId) return undefined
    return rec.userId
  }
}
