/**
 * The proxy baseline: the least a Node process can do to relay a download — one `http.get` of the upstream URL piped
 * into the response. Proxying adds two socket copies of every byte and a third process on a 2-core machine; this
 * measures that floor, so the proxy-mode figure can be read as "our overhead over the cheapest possible proxy".
 * The argument is either one upstream URL (every request gets it) or `{ origin }`: each request's path and query are
 * forwarded to that origin, the way nginx's `proxy_pass http://origin;` does. An IPC message `{ id, op: 'cpu' }` is
 * answered with process.cpuUsage() (CPU seconds per GiB relayed).
 */
import { createServer, get } from 'node:http'
import type { AddressInfo } from 'node:net'

const arg = JSON.parse(process.argv[2] ?? '""') as string | { origin: string }
const upstreamOf = (path: string) => (typeof arg === 'string' ? arg : new URL(path, arg.origin).toString())
const server = createServer((req, res) => {
  get(upstreamOf(req.url ?? '/'), (up) => {
    res.writeHead(up.statusCode ?? 502, { 'content-length': up.headers['content-length'] ?? '' })
    up.pipe(res)
  }).on('error', () => res.destroy())
})
server.listen(0, '127.0.0.1', () =>
  process.send!({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }),
)
process.on('message', (m: { id: number; op: string }) => {
  if (m.op === 'cpu') process.send!({ id: m.id, value: process.cpuUsage() })
})
process.on('disconnect', () => process.exit(0))
