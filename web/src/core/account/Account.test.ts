import { expect, test } from 'vitest'
import type { User } from '@slipway/shared'
import { Account } from './Account.ts'
import type { AccountApi } from './Account.ts'

const USER: User = { id: 'u1', email: 'ada@example.com', createdAt: '2026-01-01T00:00:00.000Z', displayName: null }

function accountWith(signup: AccountApi['signup']) {
  const calls: Array<[string, string]> = []
  const api: AccountApi = {
    me: async () => ({ ok: false, kind: 'http', message: 'no session', status: 401 }),
    login: async () => ({ ok: true, value: USER }),
    signup: async (email, password) => {
      calls.push([email, password])
      return signup(email, password)
    },
    logout: async () => ({ ok: true, value: undefined }),
    updateMe: async () => ({ ok: false, kind: 'network', message: 'not in this test' }),
  }
  let cached: User | undefined
  return { account: new Account(api, { get: () => cached, set: (u) => (cached = u) }), calls }
}

const isSentence = (s: string) => /^[A-Z].*[.?!]$/.test(s)

test.each([
  ['a short password', 'ada@example.com', 'short', 'The password must be at least 8 characters long.', 'password'],
  ['a malformed email', 'ada', 'a long enough password', 'Enter a valid email address, like name@example.com.', 'email'],
  ['no email at all', '', 'a long enough password', 'Enter a valid email address, like name@example.com.', 'email'],
  ['a too long email', `${'a'.repeat(250)}@example.com`, 'a long enough password', 'This email address is too long (254 characters at most).', 'email'],
  ['a too long password', 'ada@example.com', 'x'.repeat(1025), 'The password must be at most 1024 characters long.', 'password'],
])('sign-up with %s is answered at once, as a sentence next to its field', async (_name, email, password, message, field) => {
  const { account, calls } = accountWith(async () => ({ ok: true, value: USER }))
  const answer = await account.signup(email, password)
  expect(answer).toEqual({ ok: false, message, field })
  expect(isSentence(message)).toBe(true)
  expect(calls).toEqual([])
})

test('a valid sign-up goes to the server; its refusals keep their own wording', async () => {
  const { account, calls } = accountWith(async () => ({ ok: false, kind: 'http', code: 'email_taken', message: 'email taken' }))
  expect(await account.signup(' Ada@Example.com ', 'a long enough password')).toEqual({
    ok: false,
    message: 'An account with this email already exists. Sign in instead?',
    field: 'email',
  })
  expect(calls).toEqual([[' Ada@Example.com ', 'a long enough password']])
})

test('a valid sign-up signs in', async () => {
  const { account } = accountWith(async () => ({ ok: true, value: USER }))
  expect(await account.signup('ada@example.com', 'a long enough password')).toEqual({ ok: true })
  expect(account.store.get()).toEqual({ state: 'signed-in', user: USER })
})

/// A signed-in account whose server answers display name changes with `updateMe`.
async function signedInWith(updateMe: AccountApi['updateMe']) {
  const sent: Array<{ displayName: string | null }> = []
  const api: AccountApi = {
    me: async () => ({ ok: true, value: USER }),
    login: async () => ({ ok: true, value: USER }),
    signup: async () => ({ ok: true, value: USER }),
    logout: async () => ({ ok: true, value: undefined }),
    updateMe: async (change) => {
      sent.push(change)
      return updateMe(change)
    },
  }
  let cached: User | undefined
  const account = new Account(api, { get: () => cached, set: (u) => (cached = u) })
  await account.refresh()
  return { account, sent, cached: () => cached }
}

test.each([
  ['a line break', 'Ada\nLovelace', 'The display name cannot contain line breaks, tabs or other control characters.'],
  ['61 characters', 'x'.repeat(61), 'The display name must be at most 60 characters long.'],
])('a display name with %s is refused at once, without a request', async (_name, text, message) => {
  const { account, sent } = await signedInWith(async () => ({ ok: true, value: USER }))
  expect(await account.setDisplayName(text)).toEqual({ ok: false, message })
  expect(sent).toEqual([])
})

test('a saved display name is sent trimmed (empty as null) and becomes the signed-in user, cached for offline', async () => {
  const { account, sent, cached } = await signedInWith(async ({ displayName }) => ({ ok: true, value: { ...USER, displayName } }))
  expect(await account.setDisplayName('  Ada  ')).toEqual({ ok: true, displayName: 'Ada' })
  expect(account.store.get()).toEqual({ state: 'signed-in', user: { ...USER, displayName: 'Ada' } })
  expect(cached()?.displayName).toBe('Ada')
  expect(await account.setDisplayName('   ')).toEqual({ ok: true, displayName: null })
  expect(sent).toEqual([{ displayName: 'Ada' }, { displayName: null }])
})

test('a refused or failed display name change keeps the user as it was and says why', async () => {
  const answers: Awaited<ReturnType<AccountApi['updateMe']>>[] = [
    { ok: false, kind: 'http', status: 400, message: 'Request body does not match the expected shape', details: [{ path: 'displayName', message: 'The server says no.' }] },
    { ok: false, kind: 'http', status: 401, message: 'Sign in required' },
    { ok: false, kind: 'network', message: 'Failed to fetch' },
  ]
  const { account } = await signedInWith(async () => answers.shift()!)
  expect(await account.setDisplayName('Ada')).toEqual({ ok: false, message: 'The server says no.' })
  expect(await account.setDisplayName('Ada')).toEqual({ ok: false, message: 'Your session has ended. Sign in again to change your display name.' })
  expect(await account.setDisplayName('Ada')).toEqual({ ok: false, message: 'Cannot reach the server. Check your connection and try again.' })
  expect(account.store.get()).toEqual({ state: 'signed-in', user: USER })
})
