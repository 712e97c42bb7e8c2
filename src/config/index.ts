export { configSchema, type DriverConfig } from './schema.js'
export { parseConfig } from './parse-config.js'
export { jsonSyntaxMessage } from './json-text.js'
export { formMeta } from './form-meta.js'
