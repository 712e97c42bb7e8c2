/**
 * One token rotation chain per AliyunDrive account and renewal route, shared by every driver instance in the process.
 * Refresh tokens are single-use (docs/api-notes.md §2.1): two instances of one account (the resource and the backup drive mounted
 * side by side, two root folders) that rotated independently would invalidate each other (docs/peers-and-pains.md #8;
 * OpenList needs "reference" storages for this). Members keep their own config and host: every rotated token is
 * written into each member's config and handed to each member's `saveConfig`.
 */
import type { DriverConfig } from '../config/schema.js'
import { decodeJwtClaims, jwtSubject } from './jwt.js'
import { usesRelay } from './renew.js'

export interface ChainMember {
  config: DriverConfig
  save?: (config: DriverConfig) => void | Promise<void>
  /** The member's config holds tokens its host has not yet confirmed saving. */
  unsaved: boolean
}

export class TokenChain {
  refreshToken: string
  accessToken: string
  inflight: Promise<string> | undefined
  refreshCount = 0
  readonly members = new Set<ChainMember>()
  /** Every refresh token this chain has held: a late joiner with one of them is behind, not on another chain. */
  private readonly history = new Set<string>()

  constructor(refreshToken: string, accessToken: string) {
    this.refreshToken = refreshToken
    this.accessToken = accessToken
    this.history.add(refreshToken)
  }

  /** Brings a member's config up to the chain's tokens (marking it unsaved if that changed anything). */
  sync(member: ChainMember): void {
    if (member.config.refresh_token === this.refreshToken && member.config.AccessToken === this.accessToken) return
    member.config.refresh_token = this.refreshToken
    member.config.AccessToken = this.accessToken
    member.unsaved = true
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

function issuedAt(token: string): number {
  const iat = decodeJwtClaims(token)?.iat
  return typeof iat === 'number' ? iat : 0
}

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
  const key = chainKey(member.config)
  let chain = key ? chains.get(key) : undefined
  if (!chain) {
    chain = new TokenChain(member.config.refresh_token, member.config.AccessToken)
    if (key) chains.set(key, chain)
  } else if (
    !chain.knows(member.config.refresh_token) &&
    issuedAt(member.config.refresh_token) > issuedAt(chain.refreshToken)
  ) {
    // A token issued after the chain's (the account was authorized again): the chain continues from it, and the
    // other members pick it up (and have it saved) before their next request.
    chain.replace(member.config.refresh_token, member.config.AccessToken)
    for (const other of chain.members) chain.sync(other)
  } else {
    // The member's token is one the chain already rotated past, or an older one: continue from the chain's.
    chain.sync(member)
  }
  chain.members.add(member)
  const joined = chain
  return {
    chain: joined,
    leave: () => {
      joined.members.delete(member)
      if (joined.members.size === 0 && key && chains.get(key) === joined) chains.delete(key)
    },
  }
}
