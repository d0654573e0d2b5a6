import { hash, randomBytes, randomUUID } from 'node:crypto'
import { AUTH_RATE_LIMITS } from '@slipway/shared'
import { isPromise } from '../ports.ts'
import type { AccountRepo, Clock, FoundSession, MaybePromise, ProjectRecord, RateLimiter, UserRecord } from '../ports.ts'
import { DomainError } from './errors.ts'

/// Password hashing, injected so tests and the domain never see the native module.
export interface PasswordHasher {
  hash(password: string): Promise<string>
  verify(hash: string, password: string): Promise<boolean>
}

export interface SessionPolicy {
  /// A session unused this long expires (each use slides it forward).
  idleMs: number
  /// A session expires this long after login, used or not.
  absoluteMs: number
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 30 * 24 * 3600_000, absoluteMs: 90 * 24 * 3600_000 }

/// Sliding the idle expiry writes to the database at most this often per session.
const TOUCH_EVERY_MS = 60_000
const RATE_WINDOW_MS = 60_000

export const hashToken = (token: string) => hash('sha256', token, 'hex')

/// A live session's user, and the project asked about when it is theirs.
export interface Authenticated {
  user: UserRecord
  project?: ProjectRecord
}

export interface SignedIn {
  user: UserRecord
  /// The session token for the cookie; only its SHA-256 is stored.
  token: string
}

/// Accounts and sessions: signup, login (rate-limited per account and per IP), logout, and resolving a session
/// token to its user with idle and absolute expiry.
export class AuthService {
  /// Verified against when the email is unknown, so both failures cost one hash.
  private dummyHash: Promise<string> | undefined

  constructor(
    private readonly accounts: AccountRepo,
    private readonly limiter: RateLimiter,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    private readonly policy: SessionPolicy = DEFAULT_SESSION_POLICY,
  ) {}

  async signup(email: string, password: string, ip: string): Promise<SignedIn> {
    await this.limit('signup', email, ip)
    if (await this.accounts.findUserByEmail(email)) throw new DomainError('email_taken', 'An account with this email already exists')
    const user = await this.accounts.createUser({
      id: randomUUID(),
      email,
      passwordHash: await this.hasher.hash(password),
      createdAt: this.clock.now(),
    })
    if (!user) throw new DomainError('email_taken', 'An account with this email already exists')
    return { user, token: await this.startSession(user.id) }
  }

  /// Wrong password and unknown email fail the same way, after the same work.
  async login(email: string, password: string, ip: string, previousToken?: string): Promise<SignedIn> {
    await this.limit('login', email, ip)
    const user = await this.accounts.findUserByEmail(email)
    this.dummyHash ??= this.hasher.hash(randomBytes(16).toString('hex'))
    const ok = await this.hasher.verify(user?.passwordHash ?? (await this.dummyHash), password)
    if (!user || !ok) throw new DomainError('invalid_credentials', 'Email or password is incorrect')
    if (previousToken) await this.accounts.deleteSession(hashToken(previousToken))
    return { user, token: await this.startSession(user.id) }
  }

  async logout(token: string): Promise<void> {
    await this.accounts.deleteSession(hashToken(token))
  }

  /// The user a token belongs to, or `undefined` for unknown, expired or revoked tokens. With `projectId` (a
  /// normalized id, see `projectIdOf`), also that project if the user owns it, in the same database round trip
  /// (`ownership`: see `AccountRepo.findSession`). Synchronous when the repo answers from its cache and the session
  /// needs no write (`await` takes either).
  authenticate(token: string, projectId?: string, ownership = false): MaybePromise<Authenticated | undefined> {
    const tokenHash = hashToken(token)
    const found = this.accounts.findSession(tokenHash, projectId, ownership)
    return isPromise(found) ? found.then((f) => this.admit(tokenHash, f)) : this.admit(tokenHash, found)
  }

  /// A found session, if it is live; sliding its idle expiry when due.
  private admit(tokenHash: string, found: FoundSession | undefined): MaybePromise<Authenticated | undefined> {
    if (!found) return undefined
    const now = this.clock.now()
    const nowMs = now.getTime()
    const { session } = found
    if (nowMs >= session.idleExpiresAt.getTime() || nowMs >= session.absoluteExpiresAt.getTime()) {
      return this.accounts.deleteSession(tokenHash).then(() => undefined)
    }
    const result: Authenticated = found.project ? { user: found.user, project: found.project } : { user: found.user }
    if (nowMs - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      const idle = new Date(Math.min(nowMs + this.policy.idleMs, session.absoluteExpiresAt.getTime()))
      return this.accounts.touchSession(tokenHash, now, idle).then(() => result)
    }
    return result
  }

  private async startSession(userId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url')
    const now = this.clock.now()
    await this.accounts.createSession({
      tokenHash: hashToken(token),
      userId,
      lastSeenAt: now,
      idleExpiresAt: new Date(now.getTime() + this.policy.idleMs),
      absoluteExpiresAt: new Date(now.getTime() + this.policy.absoluteMs),
    })
    return token
  }

  private async limit(action: 'login' | 'signup', email: string, ip: string): Promise<void> {
    const now = this.clock.now()
    const checks = await Promise.all([
      this.limiter.hit(`${action}:account:${email}`, AUTH_RATE_LIMITS.perAccountPerMinute, RATE_WINDOW_MS, now),
      this.limiter.hit(`${action}:ip:${ip}`, AUTH_RATE_LIMITS.perIpPerMinute, RATE_WINDOW_MS, now),
    ])
    const retryAfterMs = Math.max(...checks.map((c) => c.retryAfterMs))
    if (checks.some((c) => !c.allowed)) {
      const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000))
      throw new DomainError('rate_limited', `Too many attempts; try again in ${retryAfter} s`, { retryAfter })
    }
  }
}
