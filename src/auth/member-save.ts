/**
 * Saving a chain member's config through its host (docs/contract.md §4: every rotated token reaches the persisted
 * config before it is used). The config is built from the member's settings and the chain's tokens at the moment of
 * saving; the member counts as saved up to exactly what that save carried.
 */
import { DriverError } from '../errors/index.js'
import { isHostTimeout, withinBound } from './host-sync.js'
import type { ChainMember, TokenChain } from './token-chain.js'

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
