/**
 * Errors the OpenList API answers with a fixed code and their own message, as OpenList does ("unknown archive
 * format" and "search not available" are both code 500 there). They live here, beside no handler, so that
 * error-status.ts can map them with the other error kinds in one place without importing the handlers.
 */
export class UnknownArchiveFormatError extends Error {}

export class SearchNotAvailableError extends Error {}

/**
 * A body that does not have the checksum its client announced (`OC-Checksum`, `X-File-Sha1`): refused, nothing stored
 * (docs/host-notes.md §6). The message names the header. OpenList answers 400 for a bad upload request; WebDAV 412.
 */
export class ChecksumRefusedError extends Error {}

/** A write by a read-only account (README "Accounts"): 403 in the envelope and over HTTP, as the account's answer. */
export class ReadOnlyError extends Error {}

/** A body larger than anything the upload could carry, refused from its Content-Length (HTTP and envelope 413). */
export class PayloadTooLargeError extends Error {}
