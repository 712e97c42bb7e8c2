import { UsageError } from './exit-codes.js'

/**
 * `--api-url localhost:1234` parses as a URL with the scheme "localhost:" and then fails as a network error after
 * every retry; a missing scheme is a usage mistake, said at once.
 */
export function checkApiUrl(value: string, from: string): string {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.host) {
    throw new UsageError(
      `${from} must be an http:// or https:// URL, got "${value}" (e.g. http://${value.replace(/^[a-z]+:\/\//i, '')})`,
    )
  }
  return value
}
