import { AuthResponseSchema, ErrorBodySchema } from '@slipway/shared'
import { eq } from 'drizzle-orm'
import { beforeAll, expect, test } from 'vitest'
import { schema } from '../../adapters/db/index.ts'
import { ManualClock, TestClient, testApp } from '../../test/app.ts'
import { describeEachDb } from '../../test/databases.ts'

const error = async (res: Response) => ErrorBodySchema.parse(await res.json()).error
const me = async (c: TestClient) => AuthResponseSchema.parse(await (await c.get('/api/auth/me')).json()).user
const setName = (c: TestClient, displayName: unknown) => c.request('PATCH', '/api/auth/me', { json: { displayName } })

describeEachDb('display names', (ctx) => {
  let app: Awaited<ReturnType<typeof testApp>>
  beforeAll(async () => {
    app = await testApp({ database: ctx.database })
  })

  const stored = async (userId: string) =>
    (await ctx.database.db.select({ n: schema.users.displayName }).from(schema.users).where(eq(schema.users.id, userId)))[0]!.n

  test('a new user has none; PATCH /api/auth/me sets it (trimmed), me and every other session see it; empty or null clears it', async () => {
    const c = new TestClient(app)
    const address = `dn${Math.random().toString(36).slice(2)}@example.com`
    const user = await c.signup(address)
    expect((await me(c)).displayName).toBeNull()
    // A second session of the same user, read (and cached) before the change.
    const other = new TestClient(app)
    expect((await other.post('/api/auth/login', { email: address, password: 'correct horse battery' })).status).toBe(200)
    expect((await me(other)).displayName).toBeNull()

    const res = await setName(c, '  Zoë Ñúñez 李 👩‍👩‍👧  ')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = AuthResponseSchema.parse(await res.json())
    expect(body.user).toMatchObject({ id: user.id, email: address, displayName: 'Zoë Ñúñez 李 👩‍👩‍👧' })
    expect((await me(c)).displayName).toBe('Zoë Ñúñez 李 👩‍👩‍👧')
    expect((await me(other)).displayName).toBe('Zoë Ñúñez 李 👩‍👩‍👧')
    expect(await stored(user.id)).toBe('Zoë Ñúñez 李 👩‍👩‍👧')
    // Logging in answers it too.
    const third = await new TestClient(app).post('/api/auth/login', { email: address, password: 'correct horse battery' })
    expect(AuthResponseSchema.parse(await third.json()).user.displayName).toBe('Zoë Ñúñez 李 👩‍👩‍👧')

    expect(AuthResponseSchema.parse(await (await setName(c, '   ')).json()).user.displayName).toBeNull()
    expect(await stored(user.id)).toBeNull()
    expect((await me(other)).displayName).toBeNull()
    await setName(c, 'Ada')
    expect(AuthResponseSchema.parse(await (await setName(c, null)).json()).user.displayName).toBeNull()
    expect(await stored(user.id)).toBeNull()
  })

  test('bad input answers 400/415/403 with the error shape and changes nothing', async () => {
    const c = new TestClient(app)
    const user = await c.signup()
    expect((await setName(c, 'Kept')).status).toBe(200)

    const invalid: Array<[unknown, RegExp]> = [
      ['x'.repeat(61), /at most 60 characters/],
      ['😀'.repeat(61), /at most 60 characters/],
      ['y'.repeat(100_000), /at most 60 characters/],
      ['Ada\nLovelace', /control characters/],
      ['A\r\nB', /control characters/],
      ['tab\there', /control characters/],
      ['nul\u0000', /control characters/],
      ['\u001b[31mred', /control characters/],
      ['evil\u202etxt.exe', /control characters/],
      [42, /must be text/],
      [{ first: 'Ada' }, /must be text/],
    ]
    for (const [displayName, message] of invalid) {
      const res = await setName(c, displayName)
      expect([JSON.stringify(displayName).slice(0, 40), res.status]).toEqual([JSON.stringify(displayName).slice(0, 40), 400])
      const err = await error(res)
      expect(err.code).toBe('invalid_body')
      expect(err.details).toEqual([{ path: 'displayName', message: expect.stringMatching(message) }])
      expect(JSON.stringify(err)).not.toMatch(/at .*\.ts:\d+/)
    }
    const extra = await c.request('PATCH', '/api/auth/me', { json: { displayName: 'X', email: 'other@example.com' } })
    expect([extra.status, (await error(extra)).code]).toEqual([400, 'invalid_body'])
    const missing = await c.request('PATCH', '/api/auth/me', { json: {} })
    expect([missing.status, (await error(missing)).code]).toEqual([400, 'invalid_body'])
    const notJson = await c.request('PATCH', '/api/auth/me', { body: '{"displayName":', headers: { 'content-type': 'application/json' } })
    expect([notJson.status, (await error(notJson)).code]).toEqual([400, 'invalid_json'])
    const form = await c.request('PATCH', '/api/auth/me', { body: 'displayName=X', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect([form.status, (await error(form)).code]).toEqual([415, 'unsupported_media_type'])
    const crossSite = await c.request('PATCH', '/api/auth/me', { json: { displayName: 'X' }, headers: { origin: 'https://evil.example' } })
    expect([crossSite.status, (await error(crossSite)).code]).toEqual([403, 'forbidden'])

    expect((await me(c)).displayName).toBe('Kept')
    expect(await stored(user.id)).toBe('Kept')
  })

  test('more than 20 name changes in 15 minutes → 429 with Retry-After, the name unchanged; other users unaffected; later it works', async () => {
    const clock = new ManualClock(Date.parse('2026-03-01T00:00:00Z'))
    const limited = await testApp({ database: ctx.database, clock })
    const c = new TestClient(limited)
    const user = await c.signup()
    for (let i = 0; i < 20; i++) expect((await setName(c, `Name ${i}`)).status).toBe(200)
    const refused = await setName(c, 'One too many')
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    const err = await error(refused)
    expect(err.code).toBe('rate_limited')
    expect(err.message).toMatch(/^Too many name changes; try again in \d+ s$/)
    expect(await stored(user.id)).toBe('Name 19')
    // Another user is not held back.
    const other = new TestClient(limited)
    await other.signup()
    expect((await setName(other, 'Someone else')).status).toBe(200)
    clock.advance(15 * 60_000 + 1000)
    expect((await setName(c, 'Later')).status).toBe(200)
    expect(await stored(user.id)).toBe('Later')
  })

  test("signed out gets 401; nobody can set another user's name", async () => {
    const anonymous = await setName(new TestClient(app), 'Ghost')
    expect([anonymous.status, (await error(anonymous)).code]).toEqual([401, 'unauthorized'])

    const a = new TestClient(app)
    const alice = await a.signup()
    await setName(a, 'Alice')
    const b = new TestClient(app)
    const bob = await b.signup()
    // The route only ever names the signed-in user: there is no way to say whose name to set.
    const named = await b.request('PATCH', '/api/auth/me', { json: { displayName: 'Mallory', id: alice.id } })
    expect(named.status).toBe(400)
    expect((await setName(b, 'Mallory')).status).toBe(200)
    expect(await stored(alice.id)).toBe('Alice')
    expect(await stored(bob.id)).toBe('Mallory')
    expect((await me(a)).displayName).toBe('Alice')
    // Another user's session cookie is the only way in, and that sets their own name.
    for (const path of [`/api/auth/me/${alice.id}`, `/api/users/${alice.id}`]) {
      expect((await b.request('PATCH', path, { json: { displayName: 'Mallory' } })).status).toBe(404)
    }
    expect(await stored(alice.id)).toBe('Alice')
  })
})
