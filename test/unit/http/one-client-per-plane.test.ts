/**
 * Two HTTP clients, each in one place (docs/ARCHITECTURE.md, "Two HTTP clients, one per plane"): the control plane
 * is axios in src/http/ (the API client and the relay client), the data plane is src/http/data-plane/. No other
 * module of src/ may send a request its own way (the global fetch, node:http's request/get, axios, undici), so
 * timeouts, abort signals, the User-Agent, redaction and the retry words cannot drift apart again. The emulator (a
 * server) and the exported conformance suite (test code run by hosts) are outside the rule.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const SRC = join(import.meta.dirname, '..', '..', '..', 'src')
const OUTSIDE = /^(emulator|testing)\//

function files(dir: string, rel = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    const r = rel ? `${rel}/${name}` : name
    return statSync(path).isDirectory() ? files(path, r) : r.endsWith('.ts') ? [r] : []
  })
}

const SENDERS: Array<[string, RegExp]> = [
  // A call with an argument (driver/link-cache.ts calls a parameter named fetch with none).
  ['the global fetch', /(^|[^.\w])fetch\([^)]/m],
  [
    'node:http(s) request/get',
    /import\s+(?!type\b)[^;]*?\b(request|get|Agent)\b[^;]*?from\s+'node:https?'|import\s+\w+\s+from\s+'node:https?'/,
  ],
  ['axios', /from 'axios'/],
  ['undici', /from 'undici'/],
]

/** Where each kind of sender may live. */
const ALLOWED: Record<string, RegExp> = {
  'the global fetch': /^$/,
  'node:http(s) request/get': /^http\/data-plane\//,
  axios: /^(http\/(api-client|relay-client)\.ts|auth\/(renewal|token-manager)\.ts)$/,
  undici: /^http\/data-plane\//,
}

describe('one HTTP client per plane', () => {
  it('no module outside src/http sends requests its own way', () => {
    const offenders: string[] = []
    for (const file of files(SRC)) {
      if (OUTSIDE.test(file)) continue
      // Comments may name fetch and friends; only code counts.
      const code = readFileSync(join(SRC, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '')
      for (const [what, pattern] of SENDERS) {
        if (pattern.test(code) && !ALLOWED[what]!.test(file)) offenders.push(`${file}: ${what}`)
      }
    }
    expect(offenders).toEqual([])
  })
})
