/**
 * Which answers of the online renew relay mean "this refresh token will never work again".
 *
 * The relay (OpenListTeam/OpenList-APIPages, `src/shares/refresh.ts` `pubRenew`, `src/driver/alicloud_oa.ts`
 * `genToken`) answers HTTP 500 `{text}` for EVERY failure: for `alicloud_qr`/`alicloud_go` the text is the `message`
 * of AliyunDrive's `/oauth/access_token` answer, whatever went wrong upstream (a refused token, a 429, a 5xx); an
 * exception on the way becomes `{text: <error>}` (which serialises to `{}` for an Error object). For `alicloud_tv`
 * (`src/driver/alicloud_tv.ts` `refreshToken`) every failure is the fixed text "刷新Token失败" ("refresh failed"),
 * which says nothing about the token. So only a text that names the refresh token as invalid, expired, used or
 * revoked is a refusal; anything else is a hiccup worth retrying, then reported with the relay's own words.
 *
 * Keep every wording here, with where it was seen, so the list can grow from real reports in one place.
 */
export const RELAY_REFUSAL_WORDINGS: ReadonlyArray<{ pattern: RegExp; source: string }> = [
  {
    // AliyunDrive Open `RefreshTokenExpired` (HTTP 401); its message as forwarded by an OAuth proxy:
    // {"code":"RefreshTokenExpired","message":"expired refresh_token"} (messense/aliyundrive-webdav#960).
    pattern: /expired refresh[_ ]?token/i,
    source: 'AliyunDrive Open RefreshTokenExpired message, messense/aliyundrive-webdav#960',
  },
  {
    // `InvalidParameter.RefreshToken`: "The input parameter refresh_token is not valid." (ImYrS/aliyun-auto-signin#22,
    // reruin/sharelist#455); tickstep/aliyunpan-api `apierror/api_error.go` maps this code to "refresh token expired".
    pattern: /refresh[_ ]?token is not valid/i,
    source: 'AliyunDrive InvalidParameter.RefreshToken message, ImYrS/aliyun-auto-signin#22, tickstep/aliyunpan-api',
  },
  {
    // The code names themselves, when a relay or proxy forwards "<code>: <message>" (APIP's callback route does:
    // `${error.code}: ${error.message}`); codes from the official iOS SDK (`AliyunpanError.swift`) and
    // tickstep/aliyunpan-api `aliyunpan_open/api_error.go` (RefreshTokenExpired).
    pattern: /\b(RefreshTokenExpired|RefreshTokenInvalid|InvalidParameter\.RefreshToken)\b/,
    source: 'AliyunDrive token-endpoint codes, official iOS SDK AliyunpanError.swift, tickstep/aliyunpan-api',
  },
  {
    // The general shape of the above, as the open API words its token errors ("Refresh token is expired",
    // "refresh token is invalid or has been used", "… was revoked"); also what this project's emulator says.
    pattern: /refresh[_ ]?token\b.{0,40}\b(invalid|not valid|expired|used|revoked|not issued)\b/i,
    source: "AliyunDrive Open token-endpoint message style; this project's emulator, src/emulator/state/token-store.ts",
  },
  {
    // The user revoked the app's authorization in the Aliyun app (Settings → Privacy → Authorization management):
    // `PermissionDenied` on the token endpoint (official iOS SDK `AliyunpanError.swift`).
    pattern: /\bPermissionDenied\b/,
    source: 'AliyunDrive PermissionDenied (authorization revoked), official iOS SDK AliyunpanError.swift',
  },
]

/** True when the relay's text says the refresh token itself is refused (re-authorizing is the only way out). */
export function isRelayRefusal(text: string): boolean {
  return RELAY_REFUSAL_WORDINGS.some(({ pattern }) => pattern.test(text))
}
