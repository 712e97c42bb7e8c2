/**
 * QR-code login sessions (`POST /oauth/authorize/qrcode`, `GET /oauth/qrcode/{sid}/status`). Opening a page of the
 * emulator for a pending sid stands in for the phone: it scans and confirms at once. The next status read answers
 * ScanSuccess, the ones after LoginSuccess with an authorization code, so a client sees every state a real login
 * goes through. A session expires `ttlMs` after it was created unless it was confirmed.
 */
import { newHex } from '../ids.js'
import type { AuthCodes } from './auth-codes.js'

export type QrStatus = 'WaitLogin' | 'ScanSuccess' | 'LoginSuccess' | 'QRCodeExpired'

interface Session {
  clientId: string
  expMs: number
  confirmedBy?: string
  scanReported: boolean
  authCode?: string
}

export class QrSessions {
  private readonly sessions = new Map<string, Session>()

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
    private readonly codes: AuthCodes,
  ) {}

  create(clientId: string): string {
    const sid = newHex(16)
    this.sessions.set(sid, { clientId, expMs: this.now() + this.ttlMs, scanReported: false })
    return sid
  }

  /** The phone scanned and confirmed for `userId`; false when the sid is unknown or expired. */
  confirm(sid: string, userId: string): boolean {
    const s = this.sessions.get(sid)
    if (!s || (!s.confirmedBy && s.expMs <= this.now())) return false
    s.confirmedBy ??= userId
    return true
  }

  status(sid: string): { status: QrStatus; authCode?: string } {
    const s = this.sessions.get(sid)
    if (!s) return { status: 'QRCodeExpired' }
    if (!s.confirmedBy) return { status: s.expMs <= this.now() ? 'QRCodeExpired' : 'WaitLogin' }
    if (!s.scanReported) {
      s.scanReported = true
      return { status: 'ScanSuccess' }
    }
    // The same code on every read after confirmation: the relay and the client may both read the status.
    s.authCode ??= this.codes.issue(s.confirmedBy, s.clientId)
    return { status: 'LoginSuccess', authCode: s.authCode }
  }
}
