/**
 * Access-token lifecycle (docs/contract.md §4 "Tokens"):
 * - lazy: no refresh while the JWT `exp` says the access token is valid (so restarts reuse a persisted token and do
 *   not burn the relay's per-IP quota, docs/peers-and-pains.md #2);
 * - single-flight: any number of concurrent callers share one refresh (#8: concurrent refreshes race and invalidate
 *   each other's single-use refresh tokens);
 * - persisted first: `saveConfig` is awaited before the new token is handed to anyone (a rotated refresh token that is
 *   lost locks the user out); if saving fails, the new tokens stay in memory and saving is retried before next use;
 * - guarded: a renewed refresh token whose `sub` differs from the old one is rejected (a relay once returned another
 *   account's token, docs/api-notes.md §2.2);
 * - a refusal is final (UNAUTHORIZED, no retry storm); relay/network failures are retried with back-off, bounded;
 * - shared: instances of one account in the process are members of one rotation chain (token-chain.ts), so they
 *   never invalidate each other's single-use refresh tokens; each member's host still saves every rotated token;
 * - coordinated across processes through the persisted config (host-sync.ts): under the host's token lock, the
 *   persisted config is read first and a newer refresh token there is adopted instead of exchanging ours (which
 *   another process already consumed); a refusal is retried once if the persisted token changed meanwhile;
 * - bounded: a host saveConfig/loadConfig/lock that never answers fails the call after a set time.
 */
import type { AxiosInstance } from 'axios'
import type { DriverConfig } from '../config/schema.js'
import { DriverError, isDriverError, registerSecret } from '../errors/index.js'
import type { Logger } from '../host/types.js'
import type { TokenSource } from '../http/api-client.js'
import type { LimitClass } from '../http/rate-limiter.js'
import { RETRYABLE_RENEWAL_CODES } from '../http/retryable.js'
import { backoffDelay, waitToRetry, type Backoff } from '../util/retry.js'
import { abortable } from '../util/sleep.js'
import { assertSameAccount, isTokenFresh } from './jwt.js'
import { joinChain, type ChainMember, type TokenChain } from './token-chain.js'
import { relayOptions } from './relay-options.js'
import { renewLocal, renewOnline, usesRelay, type RenewResult } from './renew.js'
import {
  HOST_CALL_TIMEOUT_MS,
  HOST_LOCK_TIMEOUT_MS,
  isAdoptableAccessToken,
  isHostTimeout,
  isNewerPersistedToken,
  readPersisted,
  underHostLock,
  withinBound,
  type TokenLock,
} from './host-sync.js'

export interface TokenManagerOptions {
  /** The live config object; the manager writes the rotated tokens into it. */
  config: DriverConfig
  http: AxiosInstance
  apiBaseUrl: string
  saveConfig?: (config: DriverConfig) => void | Promise<void>
  /** The host's persisted config as it is now (DriverHost.loadConfig). */
  loadConfig?: () => Promise<DriverConfig | undefined>
  /** The host's lock over the persisted tokens (DriverHost.withTokenLock). */
  withTokenLock?: TokenLock
  /** Bound on one saveConfig/loadConfig call (default 30 s); the lock wait is bounded by 4× this (default 120 s). */
  hostTimeoutMs?: number
  acquire: (cls: LimitClass, signal?: AbortSignal) => Promise<void>
  logger?: Logger
  /** Attempts for transient renewal failures (relay down, network). */
  attempts?: number
  backoffMs?: number
  /** User-Agent for the online renew relay (host option `relayUserAgent`). */
  relayUserAgent?: string
}

/** Members whose host's saveConfig has not returned within its bound (and may still). */
const stuckSaves = new WeakSet<ChainMember>()

/** Longest wait between two renewal attempts, whatever the relay's Retry-After says. */
const RENEWAL_MAX_WAIT_MS = 30_000

/** Margin before `exp` at which a token is no longer sent (it could expire on the way). */
const EXPIRY_MARGIN_MS = 5_000

export class TokenManager implements TokenSource {
  private readonly member: ChainMember
  private readonly chain: TokenChain
  private readonly leaveChain: () => void

  constructor(private readonly options: TokenManagerOptions) {
    registerSecret(options.config.AccessToken)
    registerSecret(options.config.refresh_token)
    this.member = {
      config: options.config,
      ...(options.saveConfig ? { save: options.saveConfig } : {}),
      unsaved: false,
    }
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

  private rotate(): Promise<string> {
    const lockMs = this.options.hostTimeoutMs !== undefined ? this.options.hostTimeoutMs * 4 : HOST_LOCK_TIMEOUT_MS
    return underHostLock(this.options.withTokenLock, () => this.rotateLocked(), lockMs)
  }

  /** Under the host's lock: another process may have rotated since we last looked. */
  private async rotateLocked(): Promise<string> {
    const adopted = await this.adoptPersisted()
    if (adopted) return adopted
    let result: RenewResult
    try {
      result = await this.exchangeWithRetries()
    } catch (e) {
      // Refused: if the persisted token changed meanwhile (a host without a lock, a process that ignores it), it is
      // the live one; take it, once. Otherwise the refusal stands.
      if (!(isDriverError(e) && e.code === 'UNAUTHORIZED')) throw e
      const used = this.chain.refreshToken
      const retried = await this.adoptPersisted()
      if (retried) return retried
      if (this.chain.refreshToken === used) throw e
      result = await this.exchangeWithRetries()
    }
    // Outside the retry loop on purpose: a failed save must never cause a second exchange (it would rotate again
    // and orphan the token we could not save).
    return this.adopt(result)
  }

  /**
   * Continues the chain from the persisted refresh token if it is newer than ours. Returns its access token when
   * that can be used as it is; undefined when there was nothing newer, or when the adopted refresh token must still
   * be exchanged.
   */
  private async adoptPersisted(): Promise<string | undefined> {
    const persisted = await readPersisted(this.options.loadConfig, this.hostTimeoutMs, (m) =>
      this.options.logger?.warn(m),
    )
    if (!isNewerPersistedToken(persisted?.refresh_token, this.chain.refreshToken, (t) => this.chain.knows(t)))
      return undefined
    const refreshToken = persisted.refresh_token
    const accessToken = isAdoptableAccessToken(persisted.AccessToken, Date.now()) ? persisted.AccessToken : ''
    registerSecret(refreshToken)
    registerSecret(accessToken)
    this.chain.replace(refreshToken, accessToken)
    const members = [...this.chain.members]
    for (const member of members) this.chain.sync(member)
    // Our host holds these already; the chain's other members (other hosts in this process) save them.
    this.member.unsaved = false
    const others = members.filter((m) => m !== this.member)
    for (const outcome of await Promise.allSettled(others.map((m) => this.persist(m)))) {
      if (outcome.status === 'rejected')
        this.options.logger?.warn(
          `another instance of this account could not save the tokens yet: ${(outcome.reason as Error).message}`,
        )
    }
    this.options.logger?.info(
      accessToken
        ? 'adopted the tokens another process renewed'
        : 'adopted the refresh token another process renewed; renewing from it',
    )
    return accessToken || undefined
  }

  private get hostTimeoutMs(): number {
    return this.options.hostTimeoutMs ?? HOST_CALL_TIMEOUT_MS
  }

  /**
   * The exchange, repeated on the shared `Backoff` schedule after the failures listed in src/http/retryable.ts. Its
   * waits take no caller's signal: the rotation is shared by every caller and every instance of the account, and
   * one caller's abort must not fail it for the others; each caller leaves it at once through `abortable` (refresh).
   */
  private async exchangeWithRetries(): Promise<RenewResult> {
    const policy: Backoff = {
      retries: (this.options.attempts ?? 4) - 1,
      minDelayMs: this.options.backoffMs ?? 1000,
      maxDelayMs: RENEWAL_MAX_WAIT_MS,
    }
    for (let retry = 1; ; retry++) {
      try {
        await this.options.acquire('other')
        const result = await this.exchange()
        assertSameAccount(this.chain.refreshToken, result.refreshToken)
        return result
      } catch (e) {
        if (!(isDriverError(e) && RETRYABLE_RENEWAL_CODES.has(e.code)) || retry > policy.retries) throw e
        const wait = Math.min(e.retryAfterMs ?? backoffDelay(policy, retry), policy.maxDelayMs)
        this.options.logger?.warn(`token renewal failed (${e.message}); retrying in ${Math.round(wait)} ms`)
        await waitToRetry(wait)
      }
    }
  }

  private exchange(): Promise<RenewResult> {
    const { http, apiBaseUrl } = this.options
    // The chain's refresh token is the live one, whatever this member's config held when it joined.
    const config = { ...this.config, refresh_token: this.chain.refreshToken }
    return usesRelay(config)
      ? renewOnline(http, config, undefined, relayOptions(this.options))
      : renewLocal(http, apiBaseUrl, config)
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
      if (outcome.status === 'rejected')
        this.options.logger?.warn(
          `another instance of this account could not save the renewed tokens yet: ${(outcome.reason as Error).message}`,
        )
    }
    this.options.logger?.info('access token renewed and saved')
    return result.accessToken
  }

  private async persist(member: ChainMember): Promise<void> {
    if (!member.save) {
      member.unsaved = false
      return
    }
    // A save that outlived its bound may still finish: never start a second one beside it, fail at once instead.
    if (stuckSaves.has(member)) throw this.stuckSaveError()
    const saving = Promise.resolve().then(() => member.save!({ ...member.config }))
    try {
      await withinBound(saving, this.hostTimeoutMs)
      member.unsaved = false
    } catch (e) {
      if (isHostTimeout(e)) {
        stuckSaves.add(member)
        saving.then(
          () => stuckSaves.delete(member), // still marked unsaved: saved again (quickly, now) before the next use
          () => stuckSaves.delete(member),
        )
        throw this.stuckSaveError()
      }
      throw new DriverError(
        'UPSTREAM',
        `saving the renewed tokens through the host failed (${(e as Error)?.message ?? String(e)}); ` +
          `they are kept in memory and saving is retried before the next request`,
        { cause: e },
      )
    }
  }

  private stuckSaveError(): DriverError {
    return new DriverError(
      'UPSTREAM',
      `the host's saveConfig did not finish within ${Math.round(this.hostTimeoutMs / 1000)} s; ` +
        `the renewed tokens are kept in memory and saving is tried again once it returns`,
    )
  }
}
