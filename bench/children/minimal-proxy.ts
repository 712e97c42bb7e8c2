/**
 * The proxy baseline: the least a Node process can do to relay a download — one `http.get` of the upstream URL piped
 * into the response. Proxying adds two socket copies of every byte and a third process on a 2-core machine; this
 * measures that floor, so the proxy-mode figure can be read as "our overhead over the cheapest possible proxy".
 */
import { createServer, get } from 'node:http'
import type { AddressInfo } from 'node:net'

const upstreamUrl = JSON.parse(process.argv[2] ?? '""') as string
const server = createServer((_req, res) => {
  get(upstreamUrl, (up) => {
    res.writeHead(up.statusCode ?? 502, { 'content-length': up.headers['content-length'] ?? '' })
    up.pipe(res)
  }).on('error', () => res.destroy())
})
server.listen(0, '127.0.0.1', () =>
  process.send!({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }),
)
process.on('disconnect', () => process.exit(0))
