/** The verbatim-secret registry (src/errors/redact.ts) does not grow with every token rotation. */
import { describe, expect, it } from 'vitest'
import { redact, registerSecret, registeredSecretCount } from '../../../src/errors/redact.js'
import { makeJwt } from '../../helpers/jwt.js'

describe('registered secrets', () => {
  it('keeps only recent JWT-shaped ones verbatim, keeps the others, and still redacts an evicted token', () => {
    const clientSecret = 'client-secret-not-a-jwt-0123456789'
    registerSecret(clientSecret)
    const before = registeredSecretCount()
    const first = makeJwt({ sub: 'u', n: 0 })
    registerSecret(first)
    for (let i = 1; i <= 1_000; i++) registerSecret(makeJwt({ sub: 'u', n: i }))
    expect(registeredSecretCount()).toBeLessThanOrEqual(before + 64)
    expect(redact(`secret=${clientSecret}`)).toBe('secret=[redacted]')
    expect(redact(`token ${first} leaked`)).toBe('token [redacted] leaked')
  })
})
