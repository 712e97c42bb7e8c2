/**
 * A plain `node:http(s)` GET of an AliyunDrive download URL, for the proxy mode. `fetch` hands the body over as a web
 * stream of small chunks bridged back into a Node stream, which measured at 0.42 of a direct download
 * (bench/RESULTS.md); an IncomingMessage pipes straight into the response with Node's own backpressure.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'

const MAX_REDIRECTS = 3

/**
 * Our own agents: Node 20's global agent closes a socket after 5 s without traffic, which cut every proxied transfer
 * whose client paused for 5 s. A paused transfer is handled by resumable-upstream.ts instead (it closes the upstream
 * itself after its stall time and resumes with a Range request).
 */
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) }

export function upstreamGet(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  redirects = 0,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    const https = target.protocol === 'https:'
    const request = https ? httpsRequest : httpRequest
    const req = request(
      target,
      { method: 'GET', headers, signal, agent: https ? agents.https : agents.http },
      (res) => {
        const location = res.headers.location
        if (location && [301, 302, 303, 307, 308].includes(res.statusCode ?? 0)) {
          res.resume()
          if (redirects >= MAX_REDIRECTS)
            return reject(new Error(`more than ${MAX_REDIRECTS} redirects from the download host`))
          return resolve(upstreamGet(new URL(location, target).toString(), headers, signal, redirects + 1))
        }
        resolve(res)
      },
    )
    req.on('error', reject)
    req.end()
  })
}
