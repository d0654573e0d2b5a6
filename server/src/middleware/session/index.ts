import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AuthService } from '../../domain/auth.ts'
import { AppError } from '../../errors.ts'
import type { UserRecord } from '../../ports.ts'

declare module 'hono' {
  interface ContextVariableMap {
    /// The signed-in user, when the request carries a live session cookie.
    user: UserRecord | undefined
  }
}

export interface SessionCookie {
  name: string
  secure: boolean
  maxAgeSeconds: number
}

/// `__Host-` prefix and `Secure` when the app is served over https (browsers refuse both on plain http).
export function sessionCookie(https: boolean, maxAgeMs: number): SessionCookie {
  return { name: https ? '__Host-slipway_session' : 'slipway_session', secure: https, maxAgeSeconds: Math.floor(maxAgeMs / 1000) }
}

/// Resolves the session cookie to `c.var.user`; an unknown or expired token is cleared.
export function session(auth: AuthService, cookie: SessionCookie): MiddlewareHandler {
  return async function session(c, next) {
    const token = getCookie(c, cookie.name)
    const user = token ? await auth.authenticate(token) : undefined
    if (token && !user) clearSessionCookie(c, cookie)
    c.set('user', user)
    await next()
  }
}

export function requireUser(c: Context): UserRecord {
  const user = c.get('user')
  if (!user) throw new AppError('unauthorized', 'Sign in required')
  return user
}

export function setSessionCookie(c: Context, cookie: SessionCookie, token: string): void {
  setCookie(c, cookie.name, token, { httpOnly: true, sameSite: 'Lax', path: '/', secure: cookie.secure, maxAge: cookie.maxAgeSeconds })
}

export function clearSessionCookie(c: Context, cookie: SessionCookie): void {
  deleteCookie(c, cookie.name, { httpOnly: true, sameSite: 'Lax', path: '/', secure: cookie.secure })
}

/// The peer address of the connection (rate-limit key). Proxies are not trusted: put one in front and configure it
/// to limit, or extend this with an allowlist.
export function clientIp(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined
  return env?.incoming?.socket?.remoteAddress ?? 'unknown'
}
