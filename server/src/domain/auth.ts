import { hash, randomBytes, randomUUID } from 'node:crypto'
import { isPromise } from '../ports.ts'
import type { AccountRepo, Clock, FoundSession, MaybePromise, ProjectRecord, RateLimiter, RateRule, UserRecord } from '../ports.ts'
import { AUTH_LIMITS, LONGEST_WINDOW_MS, loginAccountKey, loginRules, signupRules, displayNameRules } from './auth-limits.ts'
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
/// Each process deletes finished rate-limit windows at most this often (on a login or signup).
const PURGE_EVERY_MS = 60_000

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

/// Accounts and sessions: signup, login (rate-limited per client, per account and client, and per account: see
/// auth-limits.ts), logout, and resolving a session token to its user with idle and absolute expiry. `client` is the
/// client's rate-limit key (client-ip).
export class AuthService {
  /// Verified against when the email is unknown, so both failures cost one hash.
  private dummyHash: Promise<string> | undefined
  private nextPurgeMs = 0

  constructor(
    private readonly accounts: AccountRepo,
    private readonly limiter: RateLimiter,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    private readonly policy: SessionPolicy = DEFAULT_SESSION_POLICY,
  ) {}

  async signup(email: string, password: string, client: string): Promise<SignedIn> {
    await this.take(signupRules(email, client))
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

  /// Wrong password and unknown email fail the same way, after the same work, and count the same.
  async login(email: string, password: string, client: string, previousToken?: string): Promise<SignedIn> {
    const failures = await this.limiter.count(loginAccountKey(email), AUTH_LIMITS.login.perAccount.windowMs, this.clock.now())
    const attempt = await this.take(loginRules(email, client, failures))
    const user = await this.accounts.findUserByEmail(email)
    this.dummyHash ??= this.hasher.hash(randomBytes(16).toString('hex'))
    const ok = await this.hasher.verify(user?.passwordHash ?? (await this.dummyHash), password)
    // The attempt stays counted as a failure; a success takes it back.
    if (!user || !ok) throw new DomainError('invalid_credentials', 'Email or password is incorrect')
    await this.limiter.release(attempt.keys, attempt.at)
    if (previousToken) await this.accounts.deleteSession(hashToken(previousToken))
    return { user, token: await this.startSession(user.id) }
  }

  /// Sets the user's display name (`null` clears it): what links they share say they are "by", from the next read.
  async setDisplayName(userId: string, displayName: string | null): Promise<UserRecord> {
    await this.take(displayNameRules(userId), 'Too many name changes')
    const user = await this.accounts.setDisplayName(userId, displayName)
    // A session whose user is gone resolves to no one, so this is a race with account deletion at most.
    if (!user) throw new DomainError('unauthorized', 'Sign in required')
    return user
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

  /// Counts one hit on every rule, or throws 429 `rate_limited` having counted none. Finished windows are deleted
  /// first when due, so the table holds only live counters.
  private async take(rules: RateRule[], refusal = 'Too many attempts'): Promise<{ keys: string[]; at: Date }> {
    const now = this.clock.now()
    if (now.getTime() >= this.nextPurgeMs) {
      this.nextPurgeMs = now.getTime() + PURGE_EVERY_MS
      await this.limiter.purge(new Date(now.getTime() - LONGEST_WINDOW_MS))
    }
    const decision = await this.limiter.take(rules, now)
    if (!decision.allowed) {
      const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000))
      throw new DomainError('rate_limited', `${refusal}; try again in ${retryAfter} s`, { retryAfter })
    }
    return { keys: rules.map((r) => r.key), at: now }
  }
}
