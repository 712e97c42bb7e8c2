/**
 * `$ALIYUNDRIVE_OPEN_RATE_LIMITS` ("list=3.9,link=0.9,other=14.9", any subset): the client-side request rates per
 * second. Only for an emulator or a service known to allow more — against AliyunDrive, raising them produces 429s.
 * The folder-transfer tests use it to move 500 files in seconds instead of minutes (links are limited to 1/s).
 */
import type { RateLimits } from '../host/types.js'
import { UsageError } from './exit-codes.js'

export const RATE_LIMITS_ENV = 'ALIYUNDRIVE_OPEN_RATE_LIMITS'

export function rateLimitsFromEnv(value = process.env[RATE_LIMITS_ENV]): Partial<RateLimits> | undefined {
  if (value === undefined || value === '') return undefined
  const limits: Partial<RateLimits> = {}
  for (const item of value.split(',')) {
    const m = /^\s*(list|link|other)\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(item)
    const rate = m ? Number(m[2]) : NaN
    if (!m || !(rate > 0)) {
      throw new UsageError(
        `$${RATE_LIMITS_ENV}: "${item}" is not class=rate (classes list, link, other; rate > 0 per second)`,
      )
    }
    limits[m[1] as keyof RateLimits] = rate
  }
  return limits
}
