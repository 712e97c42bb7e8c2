/** Public surface of aliyundrive-open (docs/contract.md §1–§3). */
export { AliyundriveOpen, DEFAULT_API_BASE_URL, type DriverTuning } from './driver/aliyundrive-open.js'
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
  DriverHost,
  DriverProps,
  DriverCapabilities,
  DriverPlugin,
  StorageDriver,
  StorageDetails,
  FormField,
  Logger,
  RateLimits,
  UploadSessionStore,
  UploadSessionRecord,
  UploadSourceIdentity,
} from './host/types.js'
