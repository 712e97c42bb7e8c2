/**
 * Parsers for option values, one per kind of value, given to commander (`.option(flags, help, parser, default)` or
 * `new Option(...).argParser(parser)`): commander runs them while it reads the command line, so a bad value stops the
 * program before anything starts (no emulator, no server, no token refresh), and its message names the option and
 * the value: `option '--port <n>' argument 'abc' is invalid. a port must be an integer from 0 to 65535`. Defaults
 * are given already parsed (commander does not run the parser on them). Any command's new option picks one of these.
 */
import { isIP } from 'node:net'
import { InvalidArgumentError } from 'commander'

export type OptionParser<T> = (value: string) => T

/** An integer in [min, max]; `what` says what the number is, for the message. */
export function integerIn(min: number, max: number, what = 'it'): OptionParser<number> {
  return (value) => {
    const n = /^-?\d+$/.test(value.trim()) ? Number(value) : NaN
    if (!Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(
        `${what} must be an integer ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`}`,
      )
    return n
  }
}

export const nonNegativeInt: OptionParser<number> = integerIn(0, Number.MAX_SAFE_INTEGER)
export const positiveInt: OptionParser<number> = integerIn(1, Number.MAX_SAFE_INTEGER)
export const portNumber: OptionParser<number> = integerIn(0, 65535, 'a port')

/** An absolute http:// or https:// URL with a host: `127.0.0.1:5249` (no scheme) would make scheme-less links. */
export const httpUrl: OptionParser<string> = (value) => {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.host)
    throw new InvalidArgumentError(
      `it must be an http:// or https:// URL (e.g. http://${value.replace(/^[a-z]+:\/\//i, '')})`,
    )
  return value
}

/** An address to listen on: an IP address or a host name. */
export const listenHost: OptionParser<string> = (value) => {
  if (isIP(value) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(value))
    throw new InvalidArgumentError('it must be an IP address or a host name (e.g. 127.0.0.1, 0.0.0.0, ::1, localhost)')
  return value
}

/** A non-empty string (a user name, a password, a secret). */
export const nonEmpty: OptionParser<string> = (value) => {
  if (value === '') throw new InvalidArgumentError('it must not be empty')
  return value
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(values: readonly T[]): OptionParser<T> {
  return (value) => {
    if (!(values as readonly string[]).includes(value))
      throw new InvalidArgumentError(`it must be one of ${values.join(', ')}`)
    return value as T
  }
}
