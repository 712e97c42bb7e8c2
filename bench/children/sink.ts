/**
 * The baseline's receiver: a minimal loopback HTTP server that reads every request body and discards it. Runs in its
 * own process, as the emulator does, so sender and receiver have a core each in both measurements.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const server = createServer((req, res) => {
  let bytes = 0
  req.on('data', (c: Buffer) => (bytes += c.byteLength))
  req.on('end', () => res.end(String(bytes)))
})
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }))
process.on('disconnect', () => process.exit(0))
