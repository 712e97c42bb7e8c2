import { type z } from 'zod'
import { DriverError, registerSecret } from '../errors/index.js'
import { configSchema, SECRET_KEYS, type DriverConfig } from './schema.js'

/**
 * Parses an OpenList `addition` (object or JSON text), or a whole OpenList storage object whose `addition` is a JSON
 * string. Throws one INVALID_CONFIG error naming every bad field, never echoing a value.
 */
export function parseConfig(input: unknown): DriverConfig {
  const raw = normalizeInput(input)
  const result = configSchema.safeParse(raw)
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(config)'} ${describeIssue(issue)}`)
    throw new DriverError('INVALID_CONFIG', `Invalid AliyundriveOpen config: ${problems.join('; ')}`)
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
    // SyntaxError messages quote the input near the error: keep only the position, never the text.
    const position = /position (\d+)/.exec((e as Error).message)?.[1]
    throw new DriverError(
      'INVALID_CONFIG',
      `Invalid AliyundriveOpen config: ${what} is not valid JSON${position ? ` (error at character ${position})` : ''}`,
    )
  }
}

function describeType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${issue.expected}, got ${describeType(issue.input)}`
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`
    default:
      return issue.message
  }
}
