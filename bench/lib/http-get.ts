/**
 * The download client every serving figure uses, baseline included: node:http GET, body counted and discarded,
 * one 302 followed by hand (so a redirect costs exactly its round trip, with the same client on both hops).
 */
import { get } from 'node:http'

export function download(
  url: string,
  headers: Record<string, string> = {},
  redirects = 1,
): Promise<{ bytes: number; status: number; redirected: boolean }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      if (res.statusCode === 302 && res.headers.location && redirects > 0) {
        res.resume()
        download(new URL(res.headers.location, url).toString(), {}, redirects - 1).then(
          (r) => resolve({ ...r, redirected: true }),
          reject,
        )
        return
      }
      let bytes = 0
      res.on('data', (c: Buffer) => (bytes += c.byteLength))
      res.on('end', () => resolve({ bytes, status: res.statusCode ?? 0, redirected: false }))
      res.on('error', reject)
    }).on('error', reject)
  })
}

/** GET or POST returning the body as text (for the OpenList API). */
export async function fetchText(url: string, init: RequestInit): Promise<string> {
  const res = await fetch(url, init)
  const text = await res.text()
  if (!res.ok) throw new Error(`${url}: ${res.status} ${text.slice(0, 200)}`)
  return text
}
