/**
 * When repeating a failed call may succeed: the one list, as rclone keeps its `retryErrorCodes`. Every loop asks
 * here; what differs between them is only what they may repeat (a non-idempotent API call is never repeated after
 * an unknown outcome: src/api/endpoints.ts) and how long they wait (their `Backoff`, src/util/retry.ts).
 *
 * - No answer (status 0): connection refused or reset, timeout, a body cut short. The request may or may not have
 *   arrived.
 * - 5xx: the server failed, or a proxy in front of it did (502, 503, 504).
 * - 429 Too Many Requests: the API says how long to wait (`x-retry-after`, waited as told and not counted against
 *   the 5xx budget); OSS, on part PUTs, does not, so those back off.
 * - 408 Request Timeout: sent by OSS for a part PUT whose body arrived too slowly (data plane only: the API has
 *   never been seen to answer it, and an API 408 stays an error as it always was).
 * - An API answer with a 2xx status whose body did not parse (truncated JSON, a captive portal's page): it says
 *   nothing about the request (request path only).
 *
 * - On a download (a GET of a download URL): 403 is an expired or early-expired URL, repeated with a fresh link
 *   (docs/api-notes.md §3.11); 5xx and no answer are repeated as they are. A proxied download counts failures without
 *   a byte of progress between them (src/server/resumable-upstream.ts).
 *
 * Not here, on purpose: the token errors (AccessTokenInvalid, AccessTokenExpired, I400JD: refresh once and repeat
 * once, src/http/api-client.ts), 403 on a part PUT (fresh part URLs, src/upload/send-part.ts), and every other 4xx
 * (the request itself is wrong; repeating it cannot help).
 */

/** Statuses after which the API request path repeats (5xx; 429 is waited out separately, as the server says). */
export function isRetryableApiStatus(status: number | undefined): boolean {
  return status === undefined || status === 0 || status >= 500
}

/** Statuses after which a part PUT to OSS is repeated with back-off. */
export function isRetryablePartStatus(status: number): boolean {
  return status === 0 || status >= 500 || status === 408 || status === 429
}

/** Statuses after which a download URL is asked again (a fresh link for 403) and the GET repeated. */
export function isRetryableDownloadStatus(status: number): boolean {
  return status === 0 || status === 403 || status >= 500
}

/** DriverError codes a renewal exchange is repeated after: the relay or server failed, the network did, or 429. */
export const RETRYABLE_RENEWAL_CODES: ReadonlySet<string> = new Set(['UPSTREAM', 'NETWORK', 'RATE_LIMITED'])
