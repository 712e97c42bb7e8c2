import { describe, expect, it } from 'vitest'
import { isNewerRefreshToken } from '../../../src/auth/jwt.js'
import { makeJwt } from '../../helpers/jwt.js'

const at = (iat: unknown) => makeJwt({ sub: 'u', iat })
const undated = makeJwt({ sub: 'u' })
const nothingHeld = () => false

describe('isNewerRefreshToken: the one rule for "is the persisted refresh token newer than mine?"', () => {
  it('a missing candidate, or ours itself, is never newer', () => {
    const ours = at(100)
    expect(isNewerRefreshToken(undefined, ours)).toBe(false)
    expect(isNewerRefreshToken('', ours)).toBe(false)
    expect(isNewerRefreshToken(ours, ours)).toBe(false)
    expect(isNewerRefreshToken(ours, ours, nothingHeld)).toBe(false)
  })

  it('a later iat is newer and an earlier one is not, with or without a memory of held tokens', () => {
    expect(isNewerRefreshToken(at(101), at(100))).toBe(true)
    expect(isNewerRefreshToken(at(101), at(100), nothingHeld)).toBe(true)
    expect(isNewerRefreshToken(at(99), at(100))).toBe(false)
    expect(isNewerRefreshToken(at(99), at(100), nothingHeld)).toBe(false)
  })

  it('the same second: newer only for a holder that remembers it never held the candidate', () => {
    const candidate = at(100)
    expect(isNewerRefreshToken(candidate, at(100))).toBe(false)
    expect(isNewerRefreshToken(candidate, at(100), nothingHeld)).toBe(true)
    expect(isNewerRefreshToken(candidate, at(100), (t) => t === candidate)).toBe(false)
  })

  it('a token it held is never newer, whatever its iat says', () => {
    const held = at(500)
    expect(isNewerRefreshToken(held, at(100), (t) => t === held)).toBe(false)
  })

  it('a missing iat dates a token at 0: older than any dated token', () => {
    expect(isNewerRefreshToken(undated, at(100))).toBe(false)
    expect(isNewerRefreshToken(undated, at(100), nothingHeld)).toBe(false)
    expect(isNewerRefreshToken(at(100), undated)).toBe(true)
    expect(isNewerRefreshToken(at(100), undated, nothingHeld)).toBe(true)
    // Two different undated tokens are the same second: only the holder with a memory takes the candidate.
    expect(isNewerRefreshToken(undated, makeJwt({ sub: 'u' }))).toBe(false)
    expect(isNewerRefreshToken(undated, makeJwt({ sub: 'u' }), nothingHeld)).toBe(true)
  })

  it('a malformed iat or a token that is not a JWT counts as undated', () => {
    for (const bad of [at('100'), at(null), at({ s: 1 }), 'not-a-jwt', 'a.!!!.c']) {
      expect(isNewerRefreshToken(bad, at(1))).toBe(false)
      expect(isNewerRefreshToken(at(1), bad)).toBe(true)
    }
  })
})
