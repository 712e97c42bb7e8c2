/**
 * The server's own errors, as one family: each kind carries the answer it stands for, the way got's `RequestError`
 * subclasses carry what went wrong. `status` is the HTTP status of an answer over HTTP (WebDAV, `/d/`, `/p/`, `/ae/`);
 * `openListCode` the `code` of OpenList's envelope, which is always HTTP 200 and whose client reads the code
 * (docs/host-notes.md §1): the same number unless OpenList answers otherwise. WebDAV may answer a kind differently
 * (`davStatus`, `davBody`: a request body it could not parse, a DAV:error precondition). error-status.ts turns any
 * thrown value — a `DriverError`, one of these, anything else — into the answer of every front end, in one place.
 *
 * A kind's message is shown to the client, so it names what is wrong and never holds a secret.
 *
 * Start-up errors (a bad `--tls-cert`, `--users` file, a missing web UI) are a separate small family,
 * `StartupError`, and not `ServerError`s: they are never an HTTP answer. They stop `serve` before it listens (or
 * make a reload keep what it had), and the CLI turns them into a usage error with their message. Giving them a
 * status would claim an answer that no client ever gets; one that reached a request handler would be our bug, and
 * is answered as one (500, "internal server error").
 */

export abstract class ServerError extends Error {
  /** The HTTP status of the answer over HTTP: WebDAV (unless `davStatus` says otherwise), `/d/`, `/p/`, `/ae/`. */
  abstract readonly status: number

  constructor(message: string) {
    super(message)
    this.name = new.target.name
  }

  /** `code` in OpenList's envelope. */
  get openListCode(): number {
    return this.status
  }

  get davStatus(): number {
    return this.status
  }

  /** The body of WebDAV's answer. */
  get davBody(): string {
    return `${this.message}\n`
  }

  /** Headers the answer over HTTP adds (a Retry-After, the media type of a DAV:error body). */
  get headers(): Record<string, string> {
    return {}
  }

  /** The request body was refused unread: the answer closes the connection rather than read it (body-limits.ts). */
  get closesConnection(): boolean {
    return false
  }
}

/** A request path that is not one: bad percent-encoding, a NUL, a segment the name rule refuses (safe-path.ts). */
export class UnsafePathError extends ServerError {
  readonly status = 400
}

/**
 * A body that does not have the checksum its client announced (`OC-Checksum`, `X-File-Sha1`): refused, nothing stored
 * (docs/host-notes.md §6). The message names the header. OpenList answers 400 for a bad upload request; WebDAV 412.
 */
export class ChecksumRefusedError extends ServerError {
  readonly status = 412
  override get openListCode(): number {
    return 400
  }
}

/** A write by a read-only account (README "Accounts"): 403 in the envelope and over HTTP, as the account's answer. */
export class ReadOnlyError extends ServerError {
  readonly status = 403
}

/** A body larger than anything the upload could carry, refused from its Content-Length (HTTP and envelope 413). */
export class PayloadTooLargeError extends ServerError {
  readonly status = 413
  override get closesConnection(): boolean {
    return true
  }
}

/**
 * A small body (JSON, WebDAV XML) over the cap of the routes that read one whole (http-io.ts). OpenList answers it
 * 413; WebDAV, as any body it cannot parse, 400.
 */
export class BodyTooLargeError extends ServerError {
  readonly status = 413
  override get davStatus(): number {
    return 400
  }
  override get davBody(): string {
    return `bad request body: ${this.message}\n`
  }
}

/** A WebDAV request body that is not the XML it must be (webdav/xml-parse.ts): 400 naming the fault. */
export class XmlError extends ServerError {
  readonly status = 400
  override get davBody(): string {
    return `bad request body: ${this.message}\n`
  }
}

/** OpenList answers these with code 500 and their own message ("unknown archive format", "search not available"). */
export class UnknownArchiveFormatError extends ServerError {
  readonly status = 500
}

export class SearchNotAvailableError extends ServerError {
  readonly status = 500
}

/** A proxied download that found no upstream slot in time (resumable-upstream.ts): come back after Retry-After. */
export class SlotWaitTimeout extends ServerError {
  readonly status = 503
  constructor(readonly retryAfterSec: number) {
    super('all download slots are busy; try again shortly')
  }
  override get headers(): Record<string, string> {
    return { 'Retry-After': String(this.retryAfterSec) }
  }
}

/** A WebDAV answer with a status chosen by the route (RFC 4918's 405, 409, 412, 415, …) and a plain-text reason. */
export class DavStatus extends ServerError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** A DavStatus whose body is a DAV:error precondition element (RFC 4918 §16). */
export class DavError extends DavStatus {
  constructor(
    status: number,
    message: string,
    readonly condition: string,
  ) {
    super(status, message)
  }

  override get davBody(): string {
    return `<?xml version="1.0" encoding="utf-8"?>\n<D:error xmlns:D="DAV:">${this.condition}</D:error>\n`
  }

  override get headers(): Record<string, string> {
    return { 'Content-Type': 'application/xml; charset=utf-8' }
  }
}

/** A malformed WebDAV `If` header (webdav/if-header.ts): 400 naming the fault. */
export class IfHeaderError extends ServerError {
  readonly status = 400
}

/** No room for another WebDAV lock (webdav/lock-manager.ts): 503, try again once locks have expired. */
export class TooManyLocksError extends ServerError {
  readonly status = 503
}

/** A dead property beyond the per-object limits (webdav/dead-props.ts): 507, RFC 4918's insufficient storage. */
export class PropLimitError extends ServerError {
  readonly status = 507
}

/** A start-up error: `serve` cannot start (or reload) as configured; the message says which flag or file is wrong. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message)
    this.name = new.target.name
  }
}

/** `--tls-cert`/`--tls-key`: missing, unreadable, not a certificate or key, or a key of another certificate. */
export class TlsFileError extends StartupError {}

/** `--users`: unreadable, not JSON, or an entry the schema refuses (each one named). */
export class UsersFileError extends StartupError {}

/** OpenList's web UI is not installed, or its index.html is not one we can fill (ui/ui-files.ts). */
export class UiMissingError extends StartupError {}
