/**
 * Library messages name the library's options (`conflict "overwrite"`); a CLI user needs the flag to type. The
 * driver's wording is stable (src/driver), so it is rewritten here rather than the driver knowing about the CLI.
 */
import { isDriverError } from '../errors/index.js'

const LIBRARY_TO_FLAGS: ReadonlyArray<[RegExp, string]> = [
  [/\(use conflict "overwrite" or "rename"\)/g, '(use --overwrite or --rename)'],
  [/\(use conflict "rename" for a second copy\)/g, '(use --rename for a second copy)'],
]

export function cliWording(error: unknown): string {
  const message = LIBRARY_TO_FLAGS.reduce(
    (text, [pattern, flags]) => text.replace(pattern, flags),
    error instanceof Error ? error.message : String(error),
  )
  // A name conflict the server reported in its own words (AlreadyExist.File) still needs the way out.
  if (isDriverError(error) && error.code === 'ALREADY_EXISTS' && !message.includes('--'))
    return `${message} (use --overwrite or --rename)`
  return message
}
