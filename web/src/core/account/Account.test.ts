import { expect, test } from 'vitest'
import type { User } from '@slipway/shared'
import { Account } from './Account.ts'
import type { AccountApi } from './Account.ts'

const USER: User = { id: 'u1', email: 'ada@example.com', createdAt: '2026-01-01T00:00:00.000Z' }

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
