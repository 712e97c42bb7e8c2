/**
 * Sessions are per account (src/server/auth.ts): a login's token opens only its own account, logout ends only the
 * presented session, and an account removed by a reload of --users gets no new token (never the admin's instead).
 */
import { describe, expect, it } from 'vitest'
import { Auth } from '../../../src/server/auth.js'

const SECRET = Buffer.alloc(32, 7)

function withTeam(): Auth {
  const auth = new Auth({ user: 'admin', password: 'admin-pw' }, SECRET)
  auth.setUsers([{ username: 'team', password: 'team-pw', readOnly: true, basePath: '/team' }])
  return auth
}

describe('Auth sessions per account', () => {
  it("a login's token is that account's; logout ends that session only", () => {
    const auth = withTeam()
    const team = auth.checkLogin('team', 'team-pw')!
    const token = auth.tokenOf(team)
    expect(auth.checkToken(token)).toMatchObject({ username: 'team', readOnly: true, basePath: '/team' })
    const admin = auth.issueToken()
    expect(auth.checkToken(admin)).toMatchObject({ username: 'admin', admin: true })
    const req = { headers: { authorization: token } } as never
    expect(auth.endSession(req)).toBe(true)
    expect(auth.checkToken(token)).toBeUndefined()
    expect(auth.checkToken(admin)?.username).toBe('admin')
  })

  it('an account removed by a reload gets no token, and its sessions end', () => {
    const auth = withTeam()
    const team = auth.checkLogin('team', 'team-pw')!
    const token = auth.tokenOf(team)
    auth.setUsers([])
    expect(() => auth.tokenOf(team)).toThrow(/no longer configured/)
    expect(auth.checkToken(token)).toBeUndefined()
  })
})
