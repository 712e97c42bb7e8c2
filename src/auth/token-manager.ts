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
 * - owned here: the tokens live in the account's rotation chain (token-chain.ts), never in a config object; the
 *   config is built from the settings and the chain's tokens only to be saved (or shown: `currentConfig`);
 * - shared: instances of one account in the process are members of that chain, so they never invalidate each other's
 *   single-use refresh tokens; each member's host still saves every rotated token;
 * - coordinated across processes through the persisted config (host-sync.ts): under the host's token lock, the
 *   persisted config is read first and a newer refresh token there is adopted instead of exchanging ours (which
 *   another process already consumed); a refusal is retried once if the persisted token changed meanwhile;
 * - bounded: a host saveConfig/loadConfig/lock that never answers fails the call after a set time;
 * - abortable: the exchange is repeated by the shared loop (src/util/retry.ts); its waits end when every caller
 *   waiting for the rotation has given up, but an exchange once sent is always heard out (its answer is the only
 *   copy of the next refresh token).
 */
import type { AxiosInstance } from 'axios'
import type { DriverConfig } from '../config/schema.js'
import { isDriverError, registerSecret } from '../errors/index.js'
import type { Logger } from '../host/types.js'
import type { TokenSource } from '../http/api-client.js'
import type { LimitClass } from '../http/rate-limiter.js'
import { RETRYABLE_RENEWAL_CODES } from '../http/retryable.js'
import { retrying, type Backoff } from '../util/retry.js'
import { assertSameAccount, isNewerRefreshToken, isTokenFresh } from './jwt.js'
import { joinChain, newMember, saveMember, startRotation, type ChainMember, type TokenChain } from './token-chain.js'
import { relayOptions, renewLocal, renewOnline, usesRelay, type RenewResult } from './renewal.js'
import {
  HOST_CALL_TIMEOUT_MS,
  HOST_LOCK_TIMEOUT_MS,
  isAdoptableAccessToken,
  readPersisted,
  underHostLock,
  type TokenLock,
} from './host-sync.js'

export interface TokenManagerOptions {
  /** The settings, and the tokens the host holds now; the manager keeps its own tokens from then on. */
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
    this.member = newMember(options.config, options.saveConfig)
    const { chain, leave } = joinChain(this.member)
    this.chain = chain
    this.leaveChain = leave
  }

  /** Renewal exchanges performed by this account's chain (shared by its instances in the process). */
  get refreshCount(): number {
    return this.chain.refreshCount
  }

  /** This instance's config with the tokens as they are now: what its host saves, built afresh on each call. */
  currentConfig(): DriverConfig {
    return this.chain.configOf(this.member)
  }

  async accessToken(signal?: AbortSignal): Promise<string> {
    const current = await this.current()
    if (isTokenFresh(current, Date.now(), EXPIRY_MARGIN_MS)) return current
    return this.refresh(current, signal)
  }

  async refresh(staleToken: string, signal?: AbortSignal): Promise<string> {
    for (;;) {
      const current = this.chain.accessToken
      // Someone already rotated past the token the caller saw: use theirs, do not rotate again.
      if (current && current !== staleToken && isTokenFresh(current, Date.now(), EXPIRY_MARGIN_MS))
        return this.current()
      this.chain.inflight ??= startRotation(
        (stop) => this.rotate(stop),
        () => (this.chain.inflight = undefined),
      )
      const rotation = this.chain.inflight
      if (rotation.stopping) {
        await rotation.ended(signal)
        continue
      }
      // One caller's abort does not cancel the shared rotation (others, and the saved configs, depend on it); it only
      // stops waiting. When the last waiting caller has left, the rotation stops between its attempts.
      await rotation.wait(signal)
      // The rotated token is used as it is, without judging its `exp` again: with a local clock ahead of the
      // server's, a fresh token can look expired, and judging it would rotate again and again. The server has the
      // last word (AccessTokenExpired → the request path refreshes once, then gives up).
      return this.current()
    }
  }

  /** The chain's token, after this member's host has saved it (a no-op when it already has). */
  private async current(): Promise<string> {
    if (this.chain.isUnsaved(this.member)) await this.persist(this.member)
    return this.chain.accessToken
  }

  /** Leaves the account's chain (driver drop). Idempotent. */
  release(): void {
    this.leaveChain()
  }

  private rotate(stop: AbortSignal): Promise<string> {
    const lockMs = this.options.hostTimeoutMs !== undefined ? this.options.hostTimeoutMs * 4 : HOST_LOCK_TIMEOUT_MS
    return underHostLock(this.options.withTokenLock, () => this.rotateLocked(stop), lockMs, stop)
  }

  /** Under the host's lock: another process may have rotated since we last looked. */
  private async rotateLocked(stop: AbortSignal): Promise<string> {
    const adopted = await this.adoptPersisted()
    if (adopted) return adopted
    let result: RenewResult
    try {
      result = await this.exchangeWithRetries(stop)
    } catch (e) {
      // Refused: if the persisted token changed meanwhile (a host without a lock, a process that ignores it), it is
      // the live one; take it, once. Otherwise the refusal stands.
      if (!(isDriverError(e) && e.code === 'UNAUTHORIZED')) throw e
      const used = this.chain.refreshToken
      const retried = await this.adoptPersisted()
      if (retried) return retried
      if (this.chain.refreshToken === used) throw e
      result = await this.exchangeWithRetries(stop)
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
    const refreshToken = persisted?.refresh_token
    if (!isNewerRefreshToken(refreshToken, this.chain.refreshToken, (t) => this.chain.knows(t))) return undefined
    const accessToken = isAdoptableAccessToken(persisted?.AccessToken, Date.now()) ? persisted.AccessToken : ''
    registerSecret(refreshToken)
    registerSecret(accessToken)
    this.chain.replace(refreshToken, accessToken)
    const members = [...this.chain.members]
    // Our host holds these already; the chain's other members (other hosts in this process) save them.
    this.member.saved = { refreshToken, accessToken }
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
   * The exchange, repeated by the shared loop after the failures listed in src/http/retryable.ts (a relay's
   * Retry-After, capped, stands in for the schedule). `stop` fires only when no caller waits for the rotation any
   * more; it ends a wait or the slot wait, never an exchange already sent.
   */
  private exchangeWithRetries(stop: AbortSignal): Promise<RenewResult> {
    const policy: Backoff = {
      retries: (this.options.attempts ?? 4) - 1,
      minDelayMs: this.options.backoffMs ?? 1000,
      maxDelayMs: RENEWAL_MAX_WAIT_MS,
    }
    const attempt = async () => {
      await this.options.acquire('other', stop)
      const result = await this.exchange()
      assertSameAccount(this.chain.refreshToken, result.refreshToken)
      return result
    }
    return retrying(attempt, {
      policy,
      decide: (e) =>
        isDriverError(e) && RETRYABLE_RENEWAL_CODES.has(e.code)
          ? { kind: 'backoff', ...(e.retryAfterMs !== undefined ? { toldMs: e.retryAfterMs } : {}) }
          : { kind: 'stop' },
      onRetry: ({ error, delayMs }) =>
        this.options.logger?.warn(
          `token renewal failed (${(error as Error).message}); retrying in ${Math.round(delayMs)} ms`,
        ),
      signal: stop,
    })
  }

  private exchange(): Promise<RenewResult> {
    const { http, apiBaseUrl } = this.options
    // The settings with the chain's refresh token: the live one, whatever this member held when it joined.
    const config = this.chain.configOf(this.member)
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

  private persist(member: ChainMember): Promise<void> {
    return saveMember(this.chain, member, this.hostTimeoutMs)
  }
}
