/** The small pure pieces of the server: path safety, link signatures, the File-Path decoding, the XML reader. */
import { describe, expect, it } from 'vitest'
import { decodeFilePath } from '../../src/server/openlist/fs-put.js'
import { LinkSigner } from '../../src/server/link-signer.js'
import { cleanPath, pathFromUrl } from '../../src/server/safe-path.js'
import { UnsafePathError, XmlError } from '../../src/server/server-errors.js'
import { parsePropfind } from '../../src/server/webdav/propfind.js'
import { parseXml } from '../../src/server/webdav/xml-parse.js'
import { ListCache } from '../../src/server/list-cache.js'

describe('safe paths', () => {
  it('normalises and refuses traversal, NUL and backslashes, encoded or not', () => {
    expect(cleanPath('//a/./b/')).toBe('/a/b')
    expect(pathFromUrl('/a%20b/%E4%B8%AD')).toBe('/a b/中')
    for (const bad of ['/a/../b', '/a/%2e%2e/b', '/a/%2E%2E', '/a%00b', '/a/..%5cb', '/%zz']) {
      expect(() => pathFromUrl(bad), bad).toThrow(UnsafePathError)
    }
    expect(() => cleanPath('/a/\0')).toThrow(UnsafePathError)
  })
})

describe('link signatures', () => {
  const secret = Buffer.from('0123456789abcdef0123456789abcdef')
  it('cover the path, survive a new signer with the same secret, and expire when asked', () => {
    const forever = new LinkSigner(secret)
    const sign = forever.sign('/a.txt')
    expect(sign).toMatch(/:0$/)
    expect(new LinkSigner(secret).verify('/a.txt', sign)).toBe(true)
    expect(forever.verify('/b.txt', sign)).toBe(false)
    expect(new LinkSigner(Buffer.from('another secret of 32 bytes......')).verify('/a.txt', sign)).toBe(false)
    const short = new LinkSigner(secret, 60)
    const s2 = short.sign('/a.txt', 1_000_000)
    expect(short.verify('/a.txt', s2, 1_000_000 + 30_000)).toBe(true)
    expect(short.verify('/a.txt', s2, 1_000_000 + 61_000)).toBe(false)
    expect(short.verify('/a.txt', s2.replace(/:\d+$/, ':0'))).toBe(false)
  })
})

describe('File-Path decoding (docs/host-notes.md §1)', () => {
  it('recovers raw UTF-8 sent as header bytes, percent-encoding, and literal %', () => {
    const asNodeSeesIt = (s: string) => Buffer.from(s, 'utf8').toString('latin1')
    expect(decodeFilePath(asNodeSeesIt('/dir/中文 名.txt'))).toBe('/dir/中文 名.txt')
    expect(decodeFilePath(encodeURIComponent('/dir/中文 名.txt'))).toBe('/dir/中文 名.txt')
    expect(decodeFilePath(asNodeSeesIt('/100% 完成.txt'))).toBe('/100% 完成.txt')
  })
})

describe('XML reader', () => {
  it('resolves namespaces and rejects malformed input', () => {
    const el = parseXml(
      '<?xml version="1.0"?><a:propfind xmlns:a="DAV:"><a:prop><x xmlns="urn:x"/></a:prop></a:propfind>',
    )
    expect(el).toMatchObject({
      ns: 'DAV:',
      local: 'propfind',
      children: [{ local: 'prop', children: [{ ns: 'urn:x', local: 'x' }] }],
    })
    for (const bad of [
      '<a><b></a>',
      '<a>',
      '<a/><b/>',
      '<x:a/>',
      '<!DOCTYPE a [<!ENTITY e "x">]><a/>',
      '<a xmlns:p=""/>',
      'text',
    ]) {
      expect(() => parseXml(bad), bad).toThrow(XmlError)
    }
  })

  it('parses propfind variants', () => {
    expect(parsePropfind('')).toEqual({ kind: 'allprop' })
    expect(parsePropfind('<propfind xmlns="DAV:"><propname/></propfind>')).toEqual({ kind: 'propname' })
    expect(parsePropfind('<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>')).toEqual({
      kind: 'prop',
      props: [{ ns: 'DAV:', local: 'getetag' }],
    })
    expect(() => parsePropfind('<propfind xmlns="urn:not-dav"><allprop/></propfind>')).toThrow(XmlError)
  })
})

describe('listing cache', () => {
  it('shares concurrent loads, serves hits, and forgets subtrees on invalidation', async () => {
    const cache = new ListCache(60_000)
    let loads = 0
    const load = async () => {
      loads++
      return []
    }
    await Promise.all([cache.get('/a', load), cache.get('/a', load)])
    await cache.get('/a', load)
    expect(loads).toBe(1)
    await cache.get('/a/b', load)
    cache.invalidateTree('/a')
    await cache.get('/a/b', load)
    expect(loads).toBe(3)
    await cache.get('/a', load, true)
    expect(loads).toBe(4)
  })
})
