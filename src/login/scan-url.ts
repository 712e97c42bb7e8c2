/**
 * What the phone must scan. The server's `qrCodeUrl` is the address of a QR *image*; the content of that image is the
 * authorize page for the sid, which terminal clients render themselves (messense/aliyundrive-webdav `qr login`,
 * alipan-tv-token). The product moved from aliyundrive.com to alipan.com in 2024 and the newer clients encode the
 * alipan.com page. Against a stand-in API (an emulator, `--api-url`), the page is on that server.
 */
export const OFFICIAL_AUTHORIZE_PAGE = 'https://www.alipan.com/o/oauth/authorize'

export function scanUrlFor(sid: string, standInApiUrl?: string): string {
  const page = standInApiUrl ? `${new URL(standInApiUrl).origin}/o/oauth/authorize` : OFFICIAL_AUTHORIZE_PAGE
  return `${page}?sid=${encodeURIComponent(sid)}`
}
