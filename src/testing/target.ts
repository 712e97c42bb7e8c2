import type { DriverCapabilities, StorageDriver } from '../host/types.js'

/**
 * What the conformance suite runs against: a way to make drivers plus optional knobs of the backend behind them.
 * A case that needs a capability the driver lacks, or a knob the target does not give, is registered as skipped.
 */
export interface ConformanceTarget<D extends StorageDriver = StorageDriver> {
  /** Shown in the suite's title. */
  name: string
  /**
   * What the driver declares it can do (`driver.props.capabilities`; for this package's driver `DRIVER_PROPS.capabilities`).
   * Needed before any driver exists, to register or skip each case; a case checks the made driver declares the same.
   */
  capabilities: DriverCapabilities
  /** A driver, not yet initialised, on the backend; `overrides` are config keys laid over the target's own. */
  makeDriver(overrides?: Record<string, unknown>): Promise<D> | D
  /** Config overrides for a driver whose `remove` deletes outright instead of trashing (this package: remove_way delete). */
  permanentRemoveOverrides?: Record<string, unknown>
  /** A folder (mount path) holding more than 200 entries. */
  bigFolderPath?: string
  /** A video file (mount path) that `other('video_preview')` has transcoding info for. */
  videoPath?: string
  /** A .livp file (mount path), linked through its jpeg stream. */
  livpPath?: string
  /** Makes every current access token expired (an emulator can; a live service cannot). */
  expireAccessTokens?(): void
  /** Token refreshes the driver has made so far; with `expireAccessTokens`, checks one refresh serves concurrent calls. */
  tokenRefreshes?(driver: D): number
  /** Number of 429 answers the backend has sent so far; checked to be 0 after all other cases. */
  rateLimitedCount?(): number
}
