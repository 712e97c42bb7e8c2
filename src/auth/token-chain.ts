/**
 * One token rotation chain per AliyunDrive account and renewal route, shared by every driver instance in the process.
 * Refresh tokens are single-use (docs/api-notes.md §2.1): two instances of one account (the resource and the backup drive mounted
 * side by side, two root folders) that rotated independently would invalidate each other (docs/peers-and-pains.md #8;
 * OpenList needs "reference" storages for this). The chain owns the tokens; a member keeps only its own settings
 * (root folder, drive type…) and host, and the tokens its host last confirmed saving. A member's config exists only
 * when it is built to be saved (or shown): its settings with the chain's tokens (`configOf`).
 */
import type { DriverConfig } from '../config/schema.js'
import { DriverError } from '../errors/index.js'
import { abortable } from '../util/sleep.js'
import { isHostTimeout, withinBound } from './host-sync.js'
import { isNewerRefreshToken, jwtSubject } from './jwt.js'
import { usesRelay } from './renewal.js'

export interface SavedTokens {
  refreshToken: string
  accessToken: string
}

export interface ChainMember {
  /** The member's own settings; its token fields are those it joined with and are never read after joining. */
  readonly settings: DriverConfig
  save?: (config: DriverConfig) => void | Promise<void>
  /** The tokens the member's host holds: the ones it was created with, then each one it confirmed saving. */
  saved: SavedTokens
}

/** A member whose host gives the driver no way to save holds whatever the chain holds. */
export function newMember(settings: DriverConfig, save?: (config: DriverConfig) => void | Promise<void>): ChainMember {
  return {
    settings,
    ...(save ? { save } : {}),
    saved: { refreshToken: settings.refresh_token, accessToken: settings.AccessToken },
  }
}

export class TokenChain {
  refreshToken: string
  accessToken: string
  /** The rotation in progress, shared by every member (`startRotation` below). */
  inflight: Rotation | undefined
  refreshCount = 0
  readonly members = new Set<ChainMember>()
  /** Every refresh token this chain has held: a late joiner with one of them is behind, not on another chain. */
  private readonly history = new Set<string>()

  constructor(refreshToken: string, accessToken: string) {
    this.refreshToken = refreshToken
    this.accessToken = accessToken
    this.history.add(refreshToken)
  }

  /** The member's config as its host should hold it now: its settings with the chain's tokens. */
  configOf(member: ChainMember): DriverConfig {
    return { ...member.settings, refresh_token: this.refreshToken, AccessToken: this.accessToken }
  }

  /** The member's host does not hold the chain's tokens yet (it must save them before the member uses them). */
  isUnsaved(member: ChainMember): boolean {
    if (!member.save) return false
    return member.saved.refreshToken !== this.refreshToken || member.saved.accessToken !== this.accessToken
  }

  advance(refreshToken: string, accessToken: string): void {
    this.refreshToken = refreshToken
    this.accessToken = accessToken
    this.history.add(refreshToken)
    this.refreshCount++
  }

  /** Restarts the chain from a newer authorization (not a rotation: nothing was exchanged). */
  replace(refreshToken: string, accessToken: string): void {
    this.refreshToken = refreshToken
    this.accessToken = accessToken
    this.history.add(refreshToken)
  }

  knows(refreshToken: string): boolean {
    return this.history.has(refreshToken)
  }
}

const chains = new Map<string, TokenChain>()

/** The chain key: same account (JWT `sub`) and same app route, or undefined when the token is not a JWT. */
function chainKey(config: DriverConfig): string | undefined {
  const sub = jwtSubject(config.refresh_token)
  if (!sub) return undefined
  const route = usesRelay(config)
    ? `online\0${config.api_url_address}\0${config.alipan_type}`
    : `local\0${config.client_id}`
  return `${route}\0${sub}`
}

/** Joins (or starts) the chain of `member`'s account; returns the chain and a function to leave it. */
export function joinChain(member: ChainMember): { chain: TokenChain; leave: () => void } {
  const joined = member.saved
  const key = chainKey(member.settings)
  const existing = key ? chains.get(key) : undefined
  const chain = existing ?? new TokenChain(joined.refreshToken, joined.accessToken)
  if (!existing) {
    if (key) chains.set(key, chain)
  } else if (isNewerRefreshToken(joined.refreshToken, chain.refreshToken, (t) => chain.knows(t))) {
    // A token newer than the chain's (the account was authorized again, or another process rotated): the chain
    // continues from it, and the other members have it saved before their next request (they are now unsaved).
    chain.replace(joined.refreshToken, joined.accessToken)
  }
  // Otherwise the member's token is one the chain already rotated past, or an older one: it continues from the
  // chain's, which its host saves before its first request.
  chain.members.add(member)
  const ours = chain
  return {
    chain: ours,
    leave: () => {
      ours.members.delete(member)
      if (ours.members.size === 0 && key && chains.get(key) === ours) chains.delete(key)
    },
  }
}

/**
 * One token rotation shared by every caller of an account (src/auth/token-chain.ts), and the callers waiting for it.
 * A caller that gives up (its signal fires) stops waiting at once but does not cancel the rotation: the others, and
 * every member's saved config, depend on it. When the last waiting caller has gone, the rotation is told to stop
 * (`stop` fires): it then ends at its next wait instead of sleeping on for nobody. A caller arriving while it ends
 * waits for the end and then looks again (the rotation may still have succeeded: an exchange once sent is heard out),
 * rather than joining it and inheriting an abort that was not its own, or starting a second exchange beside it.
 */
export interface Rotation {
  /** The rotation's outcome, or ABORTED as soon as `signal` fires. */
  wait(signal?: AbortSignal): Promise<string>
  /** Told to stop (nobody waited any more): a caller arriving now must not join it, only let it end. */
  readonly stopping: boolean
  /** Resolves when the rotation has ended, whatever its outcome (or ABORTED as soon as `signal` fires). */
  ended(signal?: AbortSignal): Promise<void>
}

export function startRotation(run: (stop: AbortSignal) => Promise<string>, done: () => void): Rotation {
  const stop = new AbortController()
  let waiting = 0
  const outcome = run(stop.signal).finally(done)
  // Every outcome reaches the callers through wait(); a rotation nobody waits for any more must not be unhandled.
  outcome.catch(() => undefined)
  const settled = outcome.then(
    () => undefined,
    () => undefined,
  )
  return {
    get stopping() {
      return stop.signal.aborted
    },
    ended: (signal) => abortable(settled, signal),
    async wait(signal) {
      waiting++
      try {
        return await abortable(outcome, signal)
      } finally {
        // After the outcome is in, this is a no-op; before, it means nobody is left to hand the token to.
        if (--waiting === 0) stop.abort(new Error('no caller waits for this token renewal any more'))
      }
    },
  }
}

/**
 * Saving a chain member's config through its host (docs/contract.md §4: every rotated token reaches the persisted
 * config before it is used). The config is built from the member's settings and the chain's tokens at the moment of
 * saving; the member counts as saved up to exactly what that save carried.
 */
/** Members whose host's saveConfig has not returned within its bound (and may still). */
const stuckSaves = new WeakSet<ChainMember>()

/** Has `member`'s host save the chain's tokens, waiting at most `boundMs`; a member without a host save is a no-op. */
export async function saveMember(chain: TokenChain, member: ChainMember, boundMs: number): Promise<void> {
  const save = member.save
  if (!save) return
  // A save that outlived its bound may still finish: never start a second one beside it, fail at once instead.
  if (stuckSaves.has(member)) throw stuckSaveError(boundMs)
  const config = chain.configOf(member)
  const saving = Promise.resolve().then(() => save(config))
  try {
    await withinBound(saving, boundMs)
    // What this save carried; if the chain moved on meanwhile, the member is still unsaved and saves again.
    member.saved = { refreshToken: config.refresh_token, accessToken: config.AccessToken }
  } catch (e) {
    if (isHostTimeout(e)) {
      stuckSaves.add(member)
      // Not counted as saved even if it lands: the member is saved again (quickly, now) before its next use.
      const settle = () => stuckSaves.delete(member)
      saving.then(settle, settle)
      throw stuckSaveError(boundMs)
    }
    throw new DriverError(
      'UPSTREAM',
      `saving the renewed tokens through the host failed (${(e as Error)?.message ?? String(e)}); ` +
        `they are kept in memory and saving is retried before the next request`,
      { cause: e },
    )
  }
}

function stuckSaveError(boundMs: number): DriverError {
  return new DriverError(
    'UPSTREAM',
    `the host's saveConfig did not finish within ${Math.round(boundMs / 1000)} s; ` +
      `the renewed tokens are kept in memory and saving is tried again once it returns`,
  )
}
