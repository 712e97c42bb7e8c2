/**
 * What the web UI shows as ours: site title, logo and version. The logo is served by us (no request leaves the
 * machine), and `version` is this package's, read from package.json so it cannot drift.
 */
import { readFileSync } from 'node:fs'

export const SITE_TITLE = 'aliyundrive-open'
export const LOGO_PATH = '/favicon.svg'

/** A cloud with a down arrow, in OpenList's default blue. */
export const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">
<path fill="#1890ff" d="M50 26a16 16 0 0 0-31-4 12 12 0 0 0 1 24h29a10 10 0 0 0 1-20z"/>
<path fill="#fff" d="M30 24h4v12h6l-8 9-8-9h6z"/>
</svg>
`

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown
    }
    return typeof pkg.version === 'string' ? pkg.version : 'unknown'
  } catch {
    return 'unknown'
  }
}

export const VERSION = `aliyundrive-open v${readVersion()}`
