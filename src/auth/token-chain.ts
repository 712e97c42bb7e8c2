/**
 * One token rotation chain per AliyunDrive account and renewal route, shared by every driver instance in the process.
 * Refresh tokens are single-use (docs/api-notes.md §2.1): two instances of one account (the resource and the backup drive mounted
 * side by side, two root folders) that rotated independently would invalidate each other (docs/peers-and-pains.md #8;
 * OpenList needs "reference" storages for this). The chain owns the tokens; a member keeps only its own settings
 * (root folder, drive type…) and host, and the tokens its host last confirmed saving. A member's config exists only
 * when it is built to be saved (or shown): its settings with the chain's tokens (`configOf`).
 */
import type { DriverConfig } from '../config/schema.js'
import { isNewerRefreshToken, jwtSubject } from './jwt.js'
import { usesRelay } from './renew.js'
import type { Rotation } from './rotation.js'

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
  /** The rotation in progress, shared by every member (src/auth/rotation.ts). */
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
