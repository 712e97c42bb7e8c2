/**
 * Access-token lifecycle (contract §4 "Tokens"):
 * - lazy: no refresh while the JWT `exp` says the access token is valid (so restarts reuse a persisted token and do
 *   not burn the relay's per-IP quota, peers-and-pains #2);
 * - single-flight: any number of concurrent callers share one refresh (#8: concurrent refreshes race and invalidate
 *   each other's single-use refresh tokens);
 * - persisted first: `saveConfig` is awaited before the new token is handed to anyone (a rotated refresh token that is
 *   lost locks the user out); if saving fails, the new tokens stay in memory and saving is retried before next use;
 * - guarded: a renewed refresh token whose `sub` differs from the old one is rejected (a relay once returned another
 *   account's token, spec §2.2);
 * - a refusal is final (UNAUTHORIZED, no retry storm); relay/network failures are retried with back-off, bounded;
 * - shared: instances of one account in the process are members of one rotation chain (token-chain.ts), so they
 *   never invalidate each other's single-use refresh tokens; each member's host still saves every rotated token.
 */
import type { AxiosInstance } from 'axios'
import type { DriverConfig } from '../config/schema.js'
import { DriverError, isDriverError, registerSecret } from '../errors/index.js'
import type { Logger } from '../host/types.js'
import type { TokenSource } from '../http/api-client.js'
import type { LimitClass } from '../http/rate-limiter.js'
import { abortable, sleep, withJitter } from '../http/sleep.js'
import { decodeJwtClaims, isTokenFresh } from './jwt.js'
import { joinChain, type ChainMember, type TokenChain } from './token-chain.js'
import { relayOptions } from './relay-options.js'
import { renewLocal, renewOnline, usesRelay, type RenewResult } from './renew.js'

export interface TokenManagerOptions {
  /** The live config object; the manager writes the rotated tokens into it. */
  config: DriverConfig
  http: AxiosInstance
  apiBaseUrl: string
  saveConfig?: (config: DriverConfig) => void | Promise<void>
  acquire: (cls: LimitClass, signal?: AbortSignal) => Promise<void>
  logger?: Logger
  /** Attempts for transient renewal failures (relay down, network). */
  attempts?: number
  backoffMs?: number
  /** User-Agent for the online renew relay (host option `relayUserAgent`). */
  relayUserAgent?: string
}

/** Margin before `exp` at which a token is no longer sent (it could expire on the way). */
const EXPIRY_MARGIN_MS = 5_000

export class TokenManager implements TokenSource {
  private readonly member: ChainMember
  private readonly chain: TokenChain
  private readonly leaveChain: () => void

  constructor(private readonly options: TokenManagerOptions) {
    registerSecret(options.config.AccessToken)
    registerSecret(options.config.refresh_token)
    this.member = { config: options.config, ...(options.saveConfig ? { save: options.saveConfig } : {}), unsaved: false }
    const { chain, leave } = joinChain(this.member)
    this.chain = chain
    this.leaveChain = leave
  }

  /** Renewal exchanges performed by this account's chain (shared by its instances in the process). */
  get refreshCount(): number {
    return this.chain.refreshCount
  }

  private get config(): DriverConfig {
    return this.options.config
  }

  async accessToken(signal?: AbortSignal): Promise<string> {
    const current = await this.current()
    if (isTokenFresh(current, Date.now(), EXPIRY_MARGIN_MS)) return current
    return this.refresh(current, signal)
  }

  async refresh(staleToken: string, signal?: AbortSignal): Promise<string> {
    const current = this.chain.accessToken
    // Someone already rotated past the token the caller saw: use theirs, do not rotate again.
    if (current && current !== staleToken && isTokenFresh(current, Date.now(), EXPIRY_MARGIN_MS)) return this.current()
    if (!this.chain.inflight) {
      this.chain.inflight = this.rotate().finally(() => {
        this.chain.inflight = undefined
      })
    }
    // The shared refresh is not cancelled by one caller's abort: others (and the saved configs) depend on it.
    await abortable(this.chain.inflight, signal)
    // The rotated token is used as it is, without judging its `exp` again: with a local clock ahead of the server's,
    // a fresh token can look expired, and judging it would rotate again and again. The server has the last word
    // (AccessTokenExpired → the request path refreshes once, then gives up).
    return this.current()
  }

  /** The chain's token, after this member's host has saved it (a no-op when it already has). */
  private async current(): Promise<string> {
    this.chain.sync(this.member)
    if (this.member.unsaved) await this.persist(this.member)
    return this.chain.accessToken
  }

  /** Leaves the account's chain (driver drop). Idempotent. */
  release(): void {
    this.leaveChain()
  }

  private async rotate(): Promise<string> {
    const result = await this.exchangeWithRetries()
    // Outside the retry loop on purpose: a failed save must never cause a second exchange (it would rotate again
    // and orphan the token we could not save).
    return this.adopt(result)
  }

  private async exchangeWithRetries(): Promise<RenewResult> {
    const attempts = this.options.attempts ?? 4
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.acquire('other')
        const result = await this.exchange()
        this.checkSameAccount(result)
        return result
      } catch (e) {
        const transient = isDriverError(e) && (e.code === 'UPSTREAM' || e.code === 'NETWORK' || e.code === 'RATE_LIMITED')
        if (!transient || attempt >= attempts) throw e
        const wait = e.retryAfterMs ?? (this.options.backoffMs ?? 1000) * 2 ** (attempt - 1)
        this.options.logger?.warn(`token renewal failed (${e.message}); retrying in ${Math.round(wait)} ms`)
        await sleep(withJitter(Math.min(wait, 30_000)))
      }
    }
  }

  private exchange(): Promise<RenewResult> {
    const { http, apiBaseUrl } = this.options
    // The chain's refresh token is the live one, whatever this member's config held when it joined.
    const config = { ...this.config, refresh_token: this.chain.refreshToken }
    return usesRelay(config) ? renewOnline(http, config, undefined, relayOptions(this.options)) : renewLocal(http, apiBaseUrl, config)
  }

  private checkSameAccount(result: RenewResult): void {
    const before = decodeJwtClaims(this.chain.refreshToken)?.sub
    const after = decodeJwtClaims(result.refreshToken)?.sub
    if (before && after && before !== after) {
      throw new DriverError(
        'UNAUTHORIZED',
        'the renewed refresh token belongs to a different AliyunDrive account than the configured one (JWT sub mismatch); the new token was not used; re-authorize the app for this account',
      )
    }
  }

  /** Moves the chain on and has every member's host persist the tokens; our own failure to save is our error. */
  private async adopt(result: RenewResult): Promise<string> {
    registerSecret(result.accessToken)
    registerSecret(result.refreshToken)
    this.chain.advance(result.refreshToken, result.accessToken)
    const members = [...this.chain.members]
    for (const member of members) this.chain.sync(member)
    const outcomes = await Promise.allSettled(members.map((m) => this.persist(m)))
    const own = outcomes[members.indexOf(this.member)]
    if (own?.status === 'rejected') throw own.reason
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') this.options.logger?.warn(`another instance of this account could not save the renewed tokens yet: ${(outcome.reason as Error).message}`)
    }
    this.options.logger?.info('access token renewed and saved')
    return result.accessToken
  }

  private async persist(member: ChainMember): Promise<void> {
    if (!member.save) {
      member.unsaved = false
      return
    }
    try {
      await member.save({ ...member.config })
      member.unsaved = false
    } catch (e) {
      throw new DriverError(
        'UPSTREAM',
        `saving the renewed tokens through the host failed (${(e as Error)?.message ?? String(e)}); they are kept in memory and saving is retried before the next request`,
        { cause: e },
      )
    }
  }
}
