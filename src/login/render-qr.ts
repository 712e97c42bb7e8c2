/**
 * The QR code as text for a terminal (the `qrcode` package, small mode: two modules per character cell, so a login
 * URL fits in about 40 columns). It paints its own black-on-white colours, so it scans on dark and light themes.
 */
import QRCode from 'qrcode'

export function renderQr(content: string): Promise<string> {
  return QRCode.toString(content, { type: 'terminal', small: true, errorCorrectionLevel: 'L' })
}
