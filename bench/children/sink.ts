/**
 * The baseline's receiver: a minimal loopback HTTP server that reads every request body and discards it. Runs in its
 * own process, as the emulator does, so sender and receiver have a core each in both measurements. `?hash=sha1,md5`
 * hashes the body on the way (the least a server that verifies a body's announced checksum has to do); GET /cpu
 * answers the process's CPU time so far.
 */
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const server = createServer((req, res) => {
  // The CPU this process has used so far, so the parent can take what one body cost it, whatever the load.
  if (req.url === '/cpu') return void res.end(JSON.stringify(process.cpuUsage()))
  let bytes = 0
  const names = new URL(req.url ?? '/', 'http://sink').searchParams.get('hash')?.split(',') ?? []
  const hashes = names.filter(Boolean).map((n) => createHash(n))
  req.on('data', (c: Buffer) => {
    bytes += c.byteLength
    for (const h of hashes) h.update(c)
  })
  req.on('end', () => res.end(`${bytes} ${hashes.map((h) => h.digest('hex')).join(' ')}`))
})
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }))
process.on('disconnect', () => process.exit(0))
