import { SESSION_COOKIE_NAMES } from '@slipway/shared'
import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Authenticated, AuthService } from '../../domain/auth.ts'
import { AppError } from '../../errors.ts'
import { isPromise } from '../../ports.ts'
import type { MaybePromise, ProjectRecord, UserRecord } from '../../ports.ts'
import { projectIdOf, projectNotFound } from '../../domain/projects.ts'

declare module 'hono' {
  interface ContextVariableMap {
    /// The request's session cookie, resolved on first use (`requireUser`, `requireProject`).
    session: SessionLookup
  }
}

/// Resolves the request's session at most once, and only when a handler asks: a route that needs a project asks for
/// the session and the project together (one database round trip, or none on a lookup cache hit, when the answer
/// comes back synchronously).
class SessionLookup {
  private looked = false
  private resolved: MaybePromise<Authenticated | undefined>
  private resolvedWith: string | undefined

  constructor(
    private readonly c: Context,
    private readonly auth: AuthService,
    private readonly cookie: SessionCookie,
    readonly token: string | undefined,
  ) {}

  /// The session (and the project `projectId`, when given and theirs). Looked up once per request; asking for
  /// another project afterwards looks again.
  resolve(projectId?: string, ownership = false): MaybePromise<Authenticated | undefined> {
    if (!this.looked) {
      this.looked = true
      this.resolvedWith = projectId
      this.resolved = this.authenticate(projectId, ownership)
    } else if (projectId !== undefined && projectId !== this.resolvedWith) {
      return this.authenticate(projectId, ownership)
    }
    return this.resolved
  }

  private authenticate(projectId: string | undefined, ownership: boolean): MaybePromise<Authenticated | undefined> {
    if (!this.token) return undefined
    const found = this.auth.authenticate(this.token, projectId, ownership)
    return isPromise(found) ? found.then((f) => this.cleared(f)) : this.cleared(found)
  }

  /// An unknown, expired or revoked token is cleared from the browser.
  private cleared(found: Authenticated | undefined) {
    if (!found) clearSessionCookie(this.c, this.cookie)
    return found
  }
}
export interface SessionCookie {
  name: string
  secure: boolean
  maxAgeSeconds: number
}

/// `__Host-` prefix and `Secure` when the app is served over https (browsers refuse both on plain http).
export function sessionCookie(https: boolean, maxAgeMs: number): SessionCookie {
  return { name: SESSION_COOKIE_NAMES[https ? 'https' : 'http'], secure: https, maxAgeSeconds: Math.floor(maxAgeMs / 1000) }
}

/// A session token as we issue them (base64url).
const TOKEN_VALUE = /^[\w-]{1,512}$/

/// The session cookie's value. A Cookie header that is nothing but our cookie with a token-shaped value is read
/// directly (what `getCookie` would answer for it); anything else goes through `getCookie`.
export function sessionToken(c: Context, name: string): string | undefined {
  const header = c.req.header('cookie')
  if (!header) return undefined
  if (header.length > name.length && header.startsWith(name) && header.charCodeAt(name.length) === 61 /* = */) {
    const value = header.slice(name.length + 1)
    if (TOKEN_VALUE.test(value)) return value
  }
  return getCookie(c, name)
}

/// Puts the request's session on `c.var.session`; nothing is looked up until a handler asks. An unknown, expired or
/// revoked token is cleared from the browser when it is looked up.
export function session(auth: AuthService, cookie: SessionCookie): MiddlewareHandler {
  return function session(c, next) {
    c.set('session', new SessionLookup(c, auth, cookie, sessionToken(c, cookie.name)))
    return next()
  }
}

/// The signed-in user; 401 `unauthorized` without a live session.
export function requireUser(c: Context): MaybePromise<UserRecord> {
  const found = c.get('session').resolve()
  return isPromise(found) ? found.then(signedIn) : signedIn(found)
}

const signedIn = (found: Authenticated | undefined): UserRecord => {
  if (!found) throw new AppError('unauthorized', 'Sign in required')
  return found.user
}

/// The signed-in user and their project `id`, in one database round trip (none when cached): 401 without a live
/// session; 404 `not_found` for a malformed id, someone else's project and a deleted one alike. Synchronous on a
/// cache hit (`await` takes either; a failure may be thrown rather than rejected).
export function requireProject(c: Context, id: string): MaybePromise<{ user: UserRecord; project: ProjectRecord }> {
  return checkedProject(c, id, false)
}

/// `requireProject` for routes that use only the project's id (sync): its name and updatedAt may lag.
export function requireProjectAccess(c: Context, id: string): MaybePromise<{ user: UserRecord; projectId: string }> {
  const checked = checkedProject(c, id, true)
  return isPromise(checked) ? checked.then(accessOf) : accessOf(checked)
}

const accessOf = ({ user, project }: { user: UserRecord; project: ProjectRecord }) => ({ user, projectId: project.id })

function checkedProject(c: Context, id: string, ownership: boolean): MaybePromise<{ user: UserRecord; project: ProjectRecord }> {
  const key = projectIdOf(id)
  const found = c.get('session').resolve(key, ownership)
  return isPromise(found) ? found.then((f) => ownedProject(f, key)) : ownedProject(found, key)
}

function ownedProject(found: Authenticated | undefined, key: string | undefined) {
  if (!found) throw new AppError('unauthorized', 'Sign in required')
  if (!found.project || found.project.id !== key) throw projectNotFound()
  return { user: found.user, project: found.project }
}

export function setSessionCookie(c: Context, cookie: SessionCookie, token: string): void {
  setCookie(c, cookie.name, token, { httpOnly: true, sameSite: 'Lax', path: '/', secure: cookie.secure, maxAge: cookie.maxAgeSeconds })
}

export function clearSessionCookie(c: Context, cookie: SessionCookie): void {
  deleteCookie(c, cookie.name, { httpOnly: true, sameSite: 'Lax', path: '/', secure: cookie.secure })
}
