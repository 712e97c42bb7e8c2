export { ERROR_CODES, type ErrorCode } from './codes.js'
export { DriverError, isDriverError, abortedError, throwIfAborted, type DriverErrorOptions } from './driver-error.js'
export { redact, redactDeep, registerSecret, REDACTED } from './redact.js'
export { mapHttpFailure, parseErrorBody, apiCodeToErrorCode, networkError } from './map-api-error.js'
