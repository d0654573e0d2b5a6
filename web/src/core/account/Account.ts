import { CredentialsSchema, DisplayNameSchema } from '@slipway/shared'
import type { User } from '@slipway/shared'
import { Store } from '../store.ts'

export type AccountState = { state: 'loading' } | { state: 'anonymous' } | { state: 'signed-in'; user: User }

export type AuthAnswer = { ok: true } | { ok: false; message: string; field?: 'email' | 'password' }

/// A display name change: saved (the name as the server keeps it, `null` when cleared) or why not, as a sentence.
export type DisplayNameAnswer = { ok: true; displayName: string | null } | { ok: false; message: string }

/// What the account needs from the API (the ApiClient adapter implements it).
export interface AccountApi {
  me(): Promise<{ ok: true; value: User } | { ok: false; kind: string; message: string; status?: number }>
  login(email: string, password: string): Promise<{ ok: true; value: User } | { ok: false; kind: string; message: string; code?: string }>
  signup(email: string, password: string): Promise<{ ok: true; value: User } | { ok: false; kind: string; message: string; code?: string; details?: unknown }>
  logout(): Promise<{ ok: true; value: undefined } | { ok: false; kind: string; message: string }>
  updateMe(change: { displayName: string | null }): Promise<{ ok: true; value: User } | { ok: false; kind: string; message: string; status?: number; details?: unknown }>
}

/// Who is signed in. Offline, the last known user stays signed in locally (their cached projects keep working).
export class Account {
  readonly store = new Store<AccountState>({ state: 'loading' })

  constructor(
    private readonly api: AccountApi,
    private readonly cache: { get(): User | undefined; set(user: User | undefined): void },
  ) {}

  async refresh(): Promise<void> {
    const res = await this.api.me()
    if (res.ok) {
      this.cache.set(res.value)
      this.store.update(() => ({ state: 'signed-in', user: res.value }))
    } else if (res.kind === 'network') {
      const cached = this.cache.get()
      this.store.update(() => (cached ? { state: 'signed-in', user: cached } : { state: 'anonymous' }))
    } else {
      this.cache.set(undefined)
      this.store.update(() => ({ state: 'anonymous' }))
    }
  }

  async login(email: string, password: string): Promise<AuthAnswer> {
    return this.answer(await this.api.login(email, password))
  }

  /// Checks the form with the server's own schema first: a short password or a malformed email is answered at once,
  /// in the schema's words, without a request (or a rate-limit hit).
  async signup(email: string, password: string): Promise<AuthAnswer> {
    const checked = CredentialsSchema.safeParse({ email, password })
    if (!checked.success) {
      const issue = checked.error.issues[0]!
      return { ok: false, message: issue.message, field: issue.path[0] === 'password' ? 'password' : 'email' }
    }
    return this.answer(await this.api.signup(email, password))
  }

  /// Sets the signed-in user's display name (empty clears it). Checked with the server's own schema first, so a
  /// name it would refuse is answered at once, in the schema's words.
  async setDisplayName(text: string): Promise<DisplayNameAnswer> {
    const checked = DisplayNameSchema.safeParse(text)
    if (!checked.success) return { ok: false, message: checked.error.issues[0]!.message }
    const res = await this.api.updateMe({ displayName: checked.data })
    if (res.ok) {
      this.cache.set(res.value)
      this.store.update(() => ({ state: 'signed-in', user: res.value }))
      return { ok: true, displayName: res.value.displayName }
    }
    if (res.kind === 'network') return { ok: false, message: 'Cannot reach the server. Check your connection and try again.' }
    if (res.status === 401) return { ok: false, message: 'Your session has ended. Sign in again to change your display name.' }
    const details = res.details
    const first = Array.isArray(details) ? (details[0] as { message?: unknown } | undefined) : undefined
    return { ok: false, message: typeof first?.message === 'string' ? first.message : res.message }
  }

  async logout(): Promise<void> {
    await this.api.logout()
    this.cache.set(undefined)
    this.store.update(() => ({ state: 'anonymous' }))
  }

  private answer(res: Awaited<ReturnType<AccountApi['login']>>): AuthAnswer {
    if (res.ok) {
      this.cache.set(res.value)
      this.store.update(() => ({ state: 'signed-in', user: res.value }))
      return { ok: true }
    }
    if (res.kind === 'network') return { ok: false, message: 'Cannot reach the server. Check your connection and try again.' }
    const code = (res as { code?: string }).code
    if (code === 'email_taken') return { ok: false, message: 'An account with this email already exists. Sign in instead?', field: 'email' }
    if (code === 'invalid_credentials') return { ok: false, message: 'Email or password is incorrect.', field: 'password' }
    if (code === 'rate_limited') return { ok: false, message: res.message }
    const details = (res as { details?: Array<{ path: string; message: string }> }).details
    const first = Array.isArray(details) ? details[0] : undefined
    if (first) return { ok: false, message: first.message, field: first.path === 'password' ? 'password' : 'email' }
    return { ok: false, message: res.message }
  }
}
