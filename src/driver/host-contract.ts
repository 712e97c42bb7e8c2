/**
 * The host contract (src/host/types.ts, generic over the config) as this package's driver takes it: over its
 * `DriverConfig`. These are what `src/index.ts` exports as `DriverHost`, `StorageDriver` and `DriverPlugin`, so for a
 * user of the package the names mean what they always meant; the parameter stays open for a host that wraps the
 * driver's config in its own type.
 */
import type { DriverConfig } from '../config/schema.js'
import type * as Contract from '../host/types.js'

export type DriverHost<Config = DriverConfig> = Contract.DriverHost<Config>
export type StorageDriver<Config = DriverConfig> = Contract.StorageDriver<Config>
export type DriverPlugin<Config = DriverConfig> = Contract.DriverPlugin<Config>
