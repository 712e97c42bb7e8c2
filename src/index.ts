/** Public surface of aliyundrive-open (docs/contract.md §1–§3). */
export { AliyundriveOpen, DEFAULT_API_BASE_URL } from './driver/aliyundrive-open.js'
export { DRIVER_PROPS } from './driver/driver-props.js'
export { plugin } from './plugin.js'
export { configSchema, parseConfig, formMeta, type DriverConfig } from './config/index.js'
export { DriverError, isDriverError, ERROR_CODES, type ErrorCode } from './errors/index.js'
export { fromBuffer, fromFile, fromStream } from './upload/index.js'
export type {
  Obj,
  Link,
  UploadSource,
  UploadProgress,
  UploadOptions,
  ConflictMode,
  ConflictOptions,
  CallOptions,
  LinkOptions,
  DriverProps,
  DriverCapabilities,
  StorageDetails,
  FormField,
  Logger,
  RateLimits,
  UploadSessionStore,
  UploadSessionRecord,
  UploadSourceIdentity,
} from './host/types.js'
// The contract's generic types, instantiated with this driver's DriverConfig (the names mean what they always did).
export type { DriverHost, DriverPlugin, StorageDriver } from './driver/host-contract.js'
