export { configSchema, type DriverConfig, type FieldMeta, SECRET_KEYS, DEFAULT_RENEW_API } from './schema.js'
export { parseConfig, type ParseConfigOptions } from './parse-config.js'
export { jsonSyntaxMessage } from './json-text.js'
export { formMeta } from './form-meta.js'
