export { configSchema, type DriverConfig, type FieldMeta, SECRET_KEYS, DEFAULT_RENEW_API } from './schema.js'
export { parseConfig } from './parse-config.js'
export { formMeta } from './form-meta.js'
