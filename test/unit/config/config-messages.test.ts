/**
 * A config mistake is pointed at. A JSON syntax error names the line and column; an unknown key
 * (when the caller asks for misspelt keys to be refused, as the CLI does) is named with the known key it most
 * resembles; a value of the wrong type names the key, the value (never a secret's) and what is expected, without
 * the follow-on "is required" noise of the fields it would have switched on.
 */
import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../../src/config/index.js'
import { jsonSyntaxMessage } from '../../../src/config/json-text.js'

function messageOf(input: unknown, options?: Parameters<typeof parseConfig>[1]): string {
  try {
    parseConfig(input, options)
  } catch (e) {
    return (e as Error).message
  }
  throw new Error('expected INVALID_CONFIG')
}

describe('config messages', () => {
  it('a JSON syntax error names the line and the column', () => {
    const text = '{\n  "refresh_token": "rt",\n  "use_online_api": true,,\n}'
    expect(messageOf(text)).toContain('config is not valid JSON: line 3, column 26')
    expect(jsonSyntaxMessage('{\n  "a": 1\n  "b": 2\n}')).toMatch(/^line 3, column 3/)
    expect(jsonSyntaxMessage('{"a": ')).toMatch(/^line 1, column 7/)
  })

  it('an unknown key is named with the known key it most resembles, and not dropped', () => {
    const m = messageOf({ refresh_tokn: 'rt', refresh_token: 'rt' }, { unknownKeys: 'reject' })
    expect(m).toContain('refresh_tokn is not a known key (did you mean refresh_token?)')
    expect(messageOf({ refresh_token: 'rt', RemoveWay: 'trash' }, { unknownKeys: 'reject' })).toContain(
      'did you mean remove_way?',
    )
    expect(messageOf({ refresh_token: 'rt', zzzz: 1 }, { unknownKeys: 'reject' })).toMatch(
      /zzzz is not a known key \(known keys: drive_type, .*\)$/,
    )
    // The library's contract for hosts stays: unknown keys are ignored unless refused (docs/contract.md §1).
    expect(parseConfig({ refresh_token: 'rt', zzzz: 1 }).refresh_token).toBe('rt')
    // `typos` (the CLI's files): a misspelt key is refused; another tool's key is left alone.
    expect(messageOf({ refresh_token: 'rt', rapid_uplaod: true }, { unknownKeys: 'typos' })).toContain(
      'rapid_uplaod is not a known key (did you mean rapid_upload?)',
    )
    expect(parseConfig({ refresh_token: 'rt', custom_key: 'x' }, { unknownKeys: 'typos' }).refresh_token).toBe('rt')
    // OpenList's snake_case alias of AccessToken is known.
    expect(parseConfig({ refresh_token: 'rt', access_token: 'at' }, { unknownKeys: 'reject' }).AccessToken).toBe('at')
  })

  it('a value of the wrong type names the key, the value and what is expected, and nothing else', () => {
    const m = messageOf({ refresh_token: 'rt', use_online_api: 'ture' })
    expect(m).toBe('Invalid AliyundriveOpen config: use_online_api must be true or false, got "ture"')
    expect(messageOf({ refresh_token: 'rt', drive_type: 'bogus' })).toBe(
      'Invalid AliyundriveOpen config: drive_type must be one of "default", "resource", "backup", got "bogus"',
    )
    expect(messageOf({ refresh_token: 'rt', rapid_upload: 1 })).toBe(
      'Invalid AliyundriveOpen config: rapid_upload must be true or false, got 1',
    )
  })

  it('a secret of the wrong type is named without its value', () => {
    const m = messageOf({ refresh_token: 123456789 })
    expect(m).toBe('Invalid AliyundriveOpen config: refresh_token must be a string, got a number')
  })
})
