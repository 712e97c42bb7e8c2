/** This package's version, read from its package.json (two levels above src/cli and dist/cli) so it cannot drift. */
import { readFileSync } from 'node:fs'

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown }
  if (typeof pkg.version !== 'string') throw new Error('package.json has no version')
  return pkg.version
}
