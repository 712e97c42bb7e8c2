import { describe, expect, it } from 'vitest'
import { linkExpiry } from '../../../src/driver/link-cache.js'
import { urlExpiresAt } from '../../../src/util/oss-expires.js'

describe('urlExpiresAt (the one x-oss-expires parser)', () => {
  it('reads unix seconds as ms since epoch', () => {
    expect(urlExpiresAt('https://h/p?a=1&x-oss-expires=1700000000')).toBe(1_700_000_000_000)
  })

  it('refuses anything but plain decimal seconds', () => {
    for (const v of ['', 'abc', '-5', '1.5', '1e9', ' 1700000000'])
      expect(urlExpiresAt(`https://h/p?x-oss-expires=${encodeURIComponent(v)}`)).toBeUndefined()
    expect(urlExpiresAt('not a url')).toBeUndefined()
  })

  it('is what download links and upload part URLs both use', () => {
    const url = 'https://h/p?x-oss-expires=1700000000'
    expect(linkExpiry(url)?.getTime()).toBe(urlExpiresAt(url))
    expect(linkExpiry('https://h/p?x-oss-expires=1e9')).toBeUndefined()
  })
})
