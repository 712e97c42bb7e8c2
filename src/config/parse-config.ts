import { type z } from 'zod'
import { DriverError, registerSecret } from '../errors/index.js'
import { jsonSyntaxMessage } from './json-text.js'
import { unknownKeyProblems } from './known-keys.js'
import { configSchema, SECRET_KEYS, type DriverConfig } from './schema.js'

export interface ParseConfigOptions {
  /**
   * `ignore` (the default, docs/contract.md §1): a host may carry keys of its own. `typos`: a key that is not the
   * config's but resembles one of its keys (`refresh_tokn`) is a mistake to point at, where it would otherwise vanish
   * in silence; other keys (another tool's) are left alone. The CLI reads its files so. `reject`: every unknown key.
   */
  unknownKeys?: 'ignore' | 'typos' | 'reject'
}

/**
 * Parses an OpenList `addition` (object or JSON text), or a whole OpenList storage object whose `addition` is a JSON
 * string. Throws one INVALID_CONFIG error naming every bad field, with the value when it is not a secret.
 */
export function parseConfig(input: unknown, options: ParseConfigOptions = {}): DriverConfig {
  const raw = normalizeInput(input)
  const unknown =
    options.unknownKeys && options.unknownKeys !== 'ignore' ? unknownKeyProblems(raw, options.unknownKeys) : []
  const result = configSchema.safeParse(raw)
  if (!result.success || unknown.length > 0) {
    const problems = (result.success ? [] : result.error.issues).map(
      (issue) => `${issue.path.join('.') || '(config)'} ${describeIssue(issue, raw)}`,
    )
    throw new DriverError('INVALID_CONFIG', `Invalid AliyundriveOpen config: ${[...unknown, ...problems].join('; ')}`)
  }
  for (const key of SECRET_KEYS) registerSecret(result.data[key] as string)
  return result.data
}

function normalizeInput(input: unknown): Record<string, unknown> {
  let value = input
  if (typeof value === 'string') value = parseJsonText(value, 'config')
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DriverError(
      'INVALID_CONFIG',
      `Invalid AliyundriveOpen config: expected a JSON object, got ${describeType(value)}`,
    )
  }
  let obj = value as Record<string, unknown>
  // A whole OpenList storage row: { mount_path, driver: 'AliyundriveOpen', addition: '<json>' }.
  if ('addition' in obj && !('refresh_token' in obj)) {
    const addition = typeof obj.addition === 'string' ? parseJsonText(obj.addition, 'addition') : obj.addition
    if (addition === null || typeof addition !== 'object' || Array.isArray(addition)) {
      throw new DriverError(
        'INVALID_CONFIG',
        `Invalid AliyundriveOpen config: addition must be a JSON object, got ${describeType(addition)}`,
      )
    }
    obj = addition as Record<string, unknown>
  }
  // OpenList persists the access token as `AccessToken` (Go field without json tag); accept the snake_case alias.
  if (obj.AccessToken === undefined && typeof obj.access_token === 'string')
    obj = { ...obj, AccessToken: obj.access_token }
  return obj
}

function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new DriverError(
      'INVALID_CONFIG',
      `Invalid AliyundriveOpen config: ${what} is not valid JSON: ${jsonSyntaxMessage(text, e)}`,
    )
  }
}

function describeType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v
}

/** The value as the user wrote it, or only its kind for a secret (docs/contract.md §1: never echo a secret). */
function shownValue(key: PropertyKey | undefined, value: unknown): string {
  if ((SECRET_KEYS as readonly PropertyKey[]).includes(key ?? '')) {
    const kind = describeType(value)
    return kind === 'null' || kind.startsWith('a') ? kind : `a ${kind}`
  }
  const text = JSON.stringify(value) ?? String(value)
  // A typo of a word or a flag is short; a long value may be a token pasted into the wrong field: not echoed.
  if (text.length <= 20) return text
  return typeof value === 'string' ? `a string of ${value.length} characters` : `a long ${describeType(value)}`
}

const EXPECTED: Record<string, string> = { boolean: 'true or false', string: 'a string', number: 'a number' }

function describeIssue(issue: z.core.$ZodIssue, raw: Record<string, unknown>): string {
  // zod does not keep the input of a field that went through a preprocess step: read it from the config itself.
  const key = issue.path[0]
  const value = issue.path.length === 1 && key !== undefined ? raw[key as string] : issue.input
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined
        ? 'is required'
        : `must be ${EXPECTED[issue.expected] ?? issue.expected}, got ${shownValue(key, value)}`
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${shownValue(key, value)}`
    default:
      return issue.message
  }
}
