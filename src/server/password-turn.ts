/**
 * Where a password check waits for its turn (login-throttle.ts): WebDAV Basic before the request is routed, and
 * /api/auth/login once its small body has named the user. Answers 0 when the check may run now (after holding it
 * for its turn), or how long the client must wait before trying again (the caller answers 429 with Retry-After).
 */
import type { IncomingMessage } from 'node:http'
import { sleep } from '../util/sleep.js'
import type { ServerContext } from './context.js'
import { throttleKeyOf } from './login-throttle.js'

export async function awaitPasswordTurn(ctx: ServerContext, req: IncomingMessage, user: string): Promise<number> {
  if (!ctx.loginThrottle) return 0
  const admission = ctx.loginThrottle.admit(throttleKeyOf(req, ctx.auth.throttleUser(user)))
  if ('retryAfterMs' in admission) return Math.max(1, admission.retryAfterMs)
  if (admission.holdMs > 0) await sleep(admission.holdMs)
  return 0
}

/** The message and header of a 429 for a password check that has to wait `retryMs`. */
export function throttledAnswer(retryMs: number): { message: string; headers: Record<string, string> } {
  const seconds = Math.ceil(retryMs / 1000)
  return {
    message: `too many failed logins from this address; try again in ${seconds} s`,
    headers: { 'Retry-After': String(seconds) },
  }
}
