/** The 429 answer of docs/api-notes.md §5.2: `TooManyRequests` with `x-retry-after` in milliseconds. */
import { ApiError } from './api-error.js'
import type { EmulatorState } from './state/emulator-state.js'
import type { RateClass } from './state/rate-limiter.js'

export function tooManyRequests(retryAfterMs: number): ApiError {
  return new ApiError(
    429,
    'TooManyRequests',
    '请求过快，请等待 x-retry-after 毫秒后再请求',
    {},
    {
      'x-retry-after': String(retryAfterMs),
    },
  )
}

export function enforceRateLimit(state: EmulatorState, userId: string, clientId: string, cls: RateClass): void {
  const wait = state.limiter.take(userId, clientId, cls)
  if (wait !== undefined) {
    state.stats.rateLimited++
    throw tooManyRequests(wait)
  }
}
