import { CredentialsSchema, LoginSchema, UpdateMeSchema } from '@slipway/shared'
import type { AuthResponse } from '@slipway/shared'
import { Hono } from 'hono'
import { getCookie } from 'hono/cookie'
import type { AuthService } from '../../domain/auth.ts'
import type { ClientKey } from '../../middleware/client-ip/index.ts'
import { jsonBody } from '../../middleware/json-body/index.ts'
import type { SessionCookie } from '../../middleware/session/index.ts'
import { clearSessionCookie, requireUser, setSessionCookie } from '../../middleware/session/index.ts'
import type { UserRecord } from '../../ports.ts'

const toUser = (u: UserRecord): AuthResponse => ({
  user: { id: u.id, email: u.email, createdAt: u.createdAt.toISOString(), displayName: u.displayName ?? null },
})

/// `/api/auth`: signup, login, logout, me (read, and `PATCH` to set the signed-in user's display name). `clientKey` names the client for rate limits (see client-ip).
export function authRoutes(deps: { auth: AuthService; cookie: SessionCookie; clientKey: ClientKey }) {
  const { auth, cookie, clientKey } = deps
  return new Hono()
    .post('/signup', jsonBody(CredentialsSchema), async (c) => {
      const { email, password } = c.req.valid('json')
      const { user, token } = await auth.signup(email, password, clientKey(c))
      setSessionCookie(c, cookie, token)
      return c.json(toUser(user), 201)
    })
    .post('/login', jsonBody(LoginSchema), async (c) => {
      const { email, password } = c.req.valid('json')
      const { user, token } = await auth.login(email, password, clientKey(c), getCookie(c, cookie.name))
      setSessionCookie(c, cookie, token)
      return c.json(toUser(user), 200)
    })
    .post('/logout', async (c) => {
      await requireUser(c)
      await auth.logout(getCookie(c, cookie.name)!)
      clearSessionCookie(c, cookie)
      return c.body(null, 204)
    })
    .get('/me', async (c) => {
      const user = await requireUser(c)
      c.header('Cache-Control', 'no-store')
      return c.json(toUser(user), 200)
    })
    .patch('/me', jsonBody(UpdateMeSchema), async (c) => {
      const user = await requireUser(c)
      const updated = await auth.setDisplayName(user.id, c.req.valid('json').displayName)
      c.header('Cache-Control', 'no-store')
      return c.json(toUser(updated), 200)
    })
}
