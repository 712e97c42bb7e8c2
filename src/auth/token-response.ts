/** The answer of both renewal exchanges (the relay and `oauth/access_token`): the two tokens, checked non-empty. */
import { z } from 'zod'
import { optNumber, optString } from '../util/lenient.js'

export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: optNumber,
  token_type: optString,
})
export type TokenResponse = z.infer<typeof tokenResponseSchema>
