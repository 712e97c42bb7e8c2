/**
 * What the token manager needs from a host to rotate safely when other processes use the same account through the
 * same persisted config (`serve` and CLI commands on one `--config` file; OpenList instances on one database row):
 * reading the persisted config, running the rotation under the host's lock, and never waiting forever on a host
 * call. Refresh tokens are single-use: a process that rotates from a token another already consumed is refused.
 */
import type { DriverConfig } from '../config/schema.js'
import { DriverError, abortedError } from '../errors/index.js'
import { decodeJwtClaims, isTokenFresh } from './jwt.js'

/** Default bound on one host call (saveConfig, loadConfig). */
export const HOST_CALL_TIMEOUT_MS = 30_000
/** Default bound on waiting for the host's token lock (longer than a config file lock's own wait, 90 s). */
export const HOST_LOCK_TIMEOUT_MS = 120_000

export type TokenLock = <T>(fn: () => Promise<T>) => Promise<T>

class HostTimeout extends Error {}

/** `promise`, or a HostTimeout after `ms` (the promise itself keeps running: a host call cannot be cancelled). */
export function withinBound<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HostTimeout()), ms)
    timer.unref?.()
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

export function isHostTimeout(e: unknown): boolean {
  return e instanceof HostTimeout
}

/**
 * Runs `fn` under the host's lock, failing after `ms` if the lock is not granted by then, or as soon as `stop` fires
 * (nobody waits for the rotation any more); a lock granted after that runs nothing (the caller has already been told
 * it failed).
 */
export async function underHostLock<T>(
  lock: TokenLock | undefined,
  fn: () => Promise<T>,
  ms: number,
  stop?: AbortSignal,
): Promise<T> {
  if (!lock) return fn()
  let state: 'waiting' | 'running' | 'abandoned' = 'waiting'
  const guarded = lock(async () => {
    if (state === 'abandoned')
      throw new DriverError('UPSTREAM', 'the host granted the token lock after the driver stopped waiting')
    state = 'running'
    return fn()
  })
  try {
    return await new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (state !== 'waiting') return
        state = 'abandoned'
        reject(
          new DriverError(
            'UPSTREAM',
            `the host's withTokenLock did not grant the token lock within ${Math.round(ms / 1000)} s; the token was not renewed`,
          ),
        )
      }, ms)
      timer.unref?.()
      const onStop = () => {
        if (state !== 'waiting') return
        state = 'abandoned'
        reject(abortedError(stop))
      }
      if (stop?.aborted) onStop()
      else stop?.addEventListener('abort', onStop, { once: true })
      guarded.then(resolve, reject).finally(() => {
        clearTimeout(timer)
        stop?.removeEventListener('abort', onStop)
      })
    })
  } finally {
    guarded.catch(() => undefined) // a lock granted late rejects on its own; that is not an unhandled rejection
  }
}

/**
 * Whether a persisted access token is worth adopting instead of exchanging: it has at least half its lifetime left,
 * so a request that starts with it does not die of expiry on the way (its one repeat would then fail too).
 */
export function isAdoptableAccessToken(token: string | undefined, nowMs: number): token is string {
  if (!token) return false
  const claims = decodeJwtClaims(token)
  const lifetimeMs =
    typeof claims?.exp === 'number' && typeof claims.iat === 'number' ? (claims.exp - claims.iat) * 1000 : 0
  return isTokenFresh(token, nowMs + Math.min(lifetimeMs / 2, 10 * 60_000), 0)
}

/** Reads the persisted config through the host, bounded; a failure is reported to `warn` and treated as "nothing newer". */
export async function readPersisted(
  load: (() => Promise<DriverConfig | undefined>) | undefined,
  ms: number,
  warn: (message: string) => void,
): Promise<DriverConfig | undefined> {
  if (!load) return undefined
  try {
    return await withinBound(Promise.resolve().then(load), ms)
  } catch (e) {
    warn(
      isHostTimeout(e)
        ? `the host's loadConfig did not answer within ${Math.round(ms / 1000)} s; rotating from the tokens in memory`
        : `reading the persisted config through the host failed (${(e as Error)?.message ?? String(e)}); ` +
            `rotating from the tokens in memory`,
    )
    return undefined
  }
}
