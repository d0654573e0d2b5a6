import { hash } from 'node:crypto'
import type { RateRule } from '../ports.ts'

/// How many logins and signups are let through. Logins count failures (an attempt counts while it runs, so a burst
/// of parallel guesses is counted before any of them is checked, and a success takes its count back).
///
/// A limit on an account alone, shared by every address, would let anyone lock its owner out with a few wrong
/// passwords. So the account-wide count never refuses by itself: it only shrinks each address's own allowance on that
/// account. Guessing one account from many addresses is slowed to one try per address per window, while the owner,
/// from an address that has not been failing, still gets in with the right password.
export const AUTH_LIMITS = {
  login: {
    /// Failed logins from one client, on any accounts (password spraying).
    perClient: { limit: 20, windowMs: 60_000 },
    /// Failed logins on one account from one client.
    perAccountClient: { limit: 5, windowMs: 5 * 60_000 },
    /// Failed logins on one account from all clients: from `underAttackAt` in one window on, each client's allowance
    /// on that account is `underAttack`.
    perAccount: { windowMs: 15 * 60_000, underAttackAt: 20 },
    underAttack: { limit: 1, windowMs: 15 * 60_000 },
  },
  signup: {
    perClient: { limit: 20, windowMs: 60_000 },
    perAccount: { limit: 5, windowMs: 60_000 },
  },
  /// Display name changes per user. Each is a write and, for a user with share links, drops their cached manifests
  /// in every process (the manifest names the owner as of now): plenty for a person, a bound for a script.
  displayName: {
    perUser: { limit: 20, windowMs: 15 * 60_000 },
  },
} as const

/// No window is longer: a counter that started this long ago is over, whatever its rule.
export const LONGEST_WINDOW_MS = Math.max(
  ...[
    AUTH_LIMITS.login.perClient,
    AUTH_LIMITS.login.perAccountClient,
    AUTH_LIMITS.login.perAccount,
    AUTH_LIMITS.login.underAttack,
    AUTH_LIMITS.signup.perClient,
    AUTH_LIMITS.signup.perAccount,
    AUTH_LIMITS.displayName.perUser,
  ].map((r) => r.windowMs),
)

/// An account's part of a counter key: a digest, so keys are short and typed emails are not kept.
export const accountTag = (email: string) => hash('sha256', email, 'base64url').slice(0, 22)

/// The key of an account's failed logins from all clients (`count` it before `loginRules`).
export const loginAccountKey = (email: string) => `login:account:${accountTag(email)}`

/// The counters one login attempt takes, in a fixed order (see `RateLimiter.take`): the client's, the account's from
/// this client (tighter once the account has `accountFailures` at or over `underAttackAt`), and the account's.
export function loginRules(email: string, client: string, accountFailures: number): RateRule[] {
  const { perClient, perAccountClient, perAccount, underAttack } = AUTH_LIMITS.login
  const pair = accountFailures >= perAccount.underAttackAt ? underAttack : perAccountClient
  return [
    { key: `login:client:${client}`, ...perClient },
    { key: `login:account-client:${accountTag(email)}:${client}`, limit: pair.limit, windowMs: pair.windowMs },
    { key: loginAccountKey(email), windowMs: perAccount.windowMs },
  ]
}

/// The counters one signup takes: the client's and the email's.
export function signupRules(email: string, client: string): RateRule[] {
  const { perClient, perAccount } = AUTH_LIMITS.signup
  return [
    { key: `signup:client:${client}`, ...perClient },
    { key: `signup:account:${accountTag(email)}`, ...perAccount },
  ]
}

/// The counter one display name change takes.
export const displayNameRules = (userId: string): RateRule[] => [{ key: `profile:name:${userId}`, ...AUTH_LIMITS.displayName.perUser }]
