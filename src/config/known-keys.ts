/**
 * Keys of an addition that the config does not have, each named with the known key it most resembles: a typo such
 * as `refresh_tokn` would otherwise be dropped in silence and reported as "refresh_token is required".
 */
import { configSchema } from './schema.js'

/** OpenList's snake_case alias of AccessToken (parse-config.ts maps it). */
const ALIASES = ['access_token']

export function knownKeys(): string[] {
  return Object.keys(configSchema.shape)
}

/** `typos`: only keys that resemble a known key; `reject`: every unknown key. */
export function unknownKeyProblems(addition: Record<string, unknown>, which: 'typos' | 'reject'): string[] {
  const known = knownKeys()
  return Object.keys(addition)
    .filter((key) => !known.includes(key) && !ALIASES.includes(key))
    .flatMap((key) => {
      const near = nearest(key, known)
      if (!near && which === 'typos') return []
      return [`${key} is not a known key (${near ? `did you mean ${near}?` : `known keys: ${known.join(', ')}`})`]
    })
}

/** The known key closest to `key` (case and underscores aside), if it is close enough to be a typo of it. */
function nearest(key: string, known: string[]): string | undefined {
  const plain = (s: string) => s.toLowerCase().replace(/[_-]/g, '')
  let best: { key: string; distance: number } | undefined
  for (const candidate of known) {
    const distance = editDistance(plain(key), plain(candidate))
    if (!best || distance < best.distance) best = { key: candidate, distance }
  }
  return best && best.distance <= Math.max(2, Math.floor(plain(best.key).length / 4)) ? best.key : undefined
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = current
  }
  return previous[b.length]!
}
