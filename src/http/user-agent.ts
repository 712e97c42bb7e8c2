/** Always send a User-Agent: the server has answered a Java NullPointerException without one (docs/api-notes.md §1.2). */
export const USER_AGENT = 'aliyundrive-open/0.1 (+https://www.npmjs.com/package/aliyundrive-open) Node.js'

/**
 * For the renew relay: it sits behind CDNs that slow down or challenge non-browser agents (OpenList switched its
 * relay calls to a browser-like agent after time-outs, OpenList PR #483); it still names this project.
 */
export const RELAY_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 aliyundrive-open/0.1 (+https://www.npmjs.com/package/aliyundrive-open)'
