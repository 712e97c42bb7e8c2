export { ERROR_CODES, type ErrorCode } from './codes.js'
export { DriverError, isDriverError, abortedError, throwIfAborted } from './driver-error.js'
export { redact, redactDeep, registerSecret } from './redact.js'
export { mapHttpFailure, parseErrorBody, networkError } from './map-api-error.js'
