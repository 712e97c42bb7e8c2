/**
 * One relay client for login and renewal (src/http/relay-client.ts): both reach the online API with the same
 * browser-like User-Agent, and a Cloudflare challenge page (HTML, 403/503) is reported as what it is, saying the
 * saved token stays valid, instead of "not JSON" or a relay failure. The relay here is a loopback server.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, expect, it } from 'vitest'
import { renewalHttp } from '../../src/auth/renewal.js'
import { renewOnline } from '../../src/auth/renewal.js'
import { parseConfig } from '../../src/config/index.js'
import { RELAY_USER_AGENT } from '../../src/http/user-agent.js'
import { relayRoute } from '../../src/login/relay-route.js'
import { LoginRefused } from '../../src/login/types.js'
import { refreshToken } from '../helpers/jwt.js'

const CHALLENGE = `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head><body>
<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script></body></html>`

let server: Server | undefined
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())))

async function relay(answer: (req: IncomingMessage) => { status: number; type: string; body: string }) {
  const agents: string[] = []
  server = createServer((req, res) => {
    agents.push(req.headers['user-agent'] ?? '')
    const a = answer(req)
    res.writeHead(a.status, { 'Content-Type': a.type, ...(a.status === 403 ? { 'cf-mitigated': 'challenge' } : {}) })
    res.end(a.body)
  })
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done))
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alicloud/renewapi`
  return { api, agents }
}

const renew = (api: string) =>
  renewOnline(renewalHttp(), parseConfig({ refresh_token: refreshToken(), api_url_address: api }))

it('login and renewal reach the relay with the same browser-like User-Agent', async () => {
  const { api, agents } = await relay((req) =>
    req.url!.startsWith('/alicloud/requests')
      ? { status: 200, type: 'application/json', body: JSON.stringify({ sid: 'S1', text: 'https://qr.test/S1' }) }
      : { status: 200, type: 'application/json', body: JSON.stringify({ access_token: 'a', refresh_token: 'r' }) },
  )
  await relayRoute({ apiUrlAddress: api, tv: false }).start(new AbortController().signal)
  await renew(api).catch(() => undefined) // the tokens are not JWTs; only the request matters here
  expect(agents).toHaveLength(2)
  expect(agents).toEqual([RELAY_USER_AGENT, RELAY_USER_AGENT])
})

it('a Cloudflare challenge page stops login with a plain message, not a parse error', async () => {
  const { api } = await relay(() => ({ status: 403, type: 'text/html; charset=UTF-8', body: CHALLENGE }))
  const login = relayRoute({ apiUrlAddress: api, tv: false }).start(new AbortController().signal)
  await expect(login).rejects.toBeInstanceOf(LoginRefused)
  await expect(login).rejects.toThrow(/Cloudflare challenge page \(HTTP 403\).*refresh token stays valid/)
  await expect(login).rejects.not.toThrow(/not JSON/)
})

it('a Cloudflare challenge page (503) during renewal says what it is and that the token stays valid', async () => {
  const { api } = await relay(() => ({ status: 503, type: 'text/html', body: CHALLENGE }))
  const err = await renew(api).then(
    () => undefined,
    (e: unknown) => e as Error & { code?: string },
  )
  expect(err?.message).toMatch(/Cloudflare challenge page \(HTTP 503\)/)
  expect(err?.message).toMatch(/refresh token stays valid/)
  expect(err?.code).not.toBe('UNAUTHORIZED')
})
