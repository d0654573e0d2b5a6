import { AuthResponseSchema, ErrorBodySchema } from '@slipway/shared'
import { eq } from 'drizzle-orm'
import { beforeAll, expect, test } from 'vitest'
import { schema } from '../../adapters/db/index.ts'
import { ManualClock, TestClient, testApp } from '../../test/app.ts'
import { describeEachDb } from '../../test/databases.ts'

const code = async (res: Response) => ErrorBodySchema.parse(await res.json()).error.code
const email = () => `Person.${Math.random().toString(36).slice(2)}@Example.COM`

describeEachDb('auth', (ctx) => {
  let app: Awaited<ReturnType<typeof testApp>>
  beforeAll(async () => {
    app = await testApp({ database: ctx.database })
  })

  test('signup → 201 with the user and an HttpOnly Lax session cookie; me → the user', async () => {
    const c = new TestClient(app)
    const address = email()
    const res = await c.post('/api/auth/signup', { email: `  ${address} `, password: 'long enough pw' })
    expect(res.status).toBe(201)
    const { user } = AuthResponseSchema.parse(await res.json())
    expect(user.email).toBe(address.toLowerCase())
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/^slipway_session=[A-Za-z0-9_-]{43};/)
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    expect(cookie).toMatch(/Path=\//)
    const me = await c.get('/api/auth/me')
    expect(me.status).toBe(200)
    expect(AuthResponseSchema.parse(await me.json()).user).toEqual(user)
  })

  test('passwords are stored as argon2id at OWASP strength or more, never in clear', async () => {
    const c = new TestClient(app)
    const user = await c.signup(undefined, 'my secret passphrase')
    const [row] = await ctx.database.db.select().from(schema.users).where(eq(schema.users.id, user.id))
    expect(row!.passwordHash).not.toContain('my secret passphrase')
    const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(row!.passwordHash)
    expect(m).not.toBeNull()
    expect(Number(m![1])).toBeGreaterThanOrEqual(19 * 1024)
    expect(Number(m![2])).toBeGreaterThanOrEqual(2)
  })

  test('only the SHA-256 of the session token is stored', async () => {
    const c = new TestClient(app)
    const user = await c.signup()
    const token = c.cookie!.split('=')[1]!
    const rows = await ctx.database.db.select().from(schema.sessions).where(eq(schema.sessions.userId, user.id))
    expect(rows).toHaveLength(1)
    expect(rows[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/)
    expect(rows[0]!.tokenHash).not.toContain(token)
  })

  test('signup with a taken email (any case) → 409 email_taken', async () => {
    const address = email()
    await new TestClient(app).signup(address)
    const res = await new TestClient(app).post('/api/auth/signup', { email: address.toUpperCase(), password: 'another password' })
    expect(res.status).toBe(409)
    expect(await code(res)).toBe('email_taken')
  })

  test.each([
    ['short password', { email: 'a@b.co', password: 'short' }],
    ['long password', { email: 'a@b.co', password: 'x'.repeat(1025) }],
    ['bad email', { email: 'not-an-email', password: 'long enough' }],
    ['missing field', { email: 'a@b.co' }],
    ['extra field', { email: 'a@b.co', password: 'long enough', admin: true }],
    ['wrong types', { email: 1, password: ['x'] }],
  ])('signup with %s → 400 invalid_body, no user', async (_n, body) => {
    const res = await new TestClient(app).post('/api/auth/signup', body)
    expect(res.status).toBe(400)
    expect(await code(res)).toBe('invalid_body')
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  test('wrong password and unknown email answer identically', async () => {
    const address = email()
    await new TestClient(app).signup(address, 'the right password')
    const wrong = await new TestClient(app).post('/api/auth/login', { email: address, password: 'the wrong password' })
    const unknown = await new TestClient(app).post('/api/auth/login', { email: email(), password: 'the wrong password' })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(await wrong.text()).toBe(await unknown.text())
    expect(wrong.headers.get('set-cookie')).toBeNull()
  })

  test('login issues a new token and revokes the one it replaced', async () => {
    const address = email()
    const c = new TestClient(app)
    await c.signup(address, 'the right password')
    const first = c.cookie!
    const res = await c.post('/api/auth/login', { email: address, password: 'the right password' })
    expect(res.status).toBe(200)
    expect(c.cookie).toBeDefined()
    expect(c.cookie).not.toBe(first)
    const old = new TestClient(app)
    old.cookie = first
    expect((await old.get('/api/auth/me')).status).toBe(401)
    expect((await c.get('/api/auth/me')).status).toBe(200)
  })

  test('logout → 204 and the old token answers 401, even if replayed', async () => {
    const c = new TestClient(app)
    await c.signup()
    const token = c.cookie!
    const res = await c.post('/api/auth/logout', {})
    expect(res.status).toBe(204)
    expect(res.headers.get('set-cookie')).toMatch(/Max-Age=0/)
    const replay = new TestClient(app)
    replay.cookie = token
    expect((await replay.get('/api/auth/me')).status).toBe(401)
    expect((await new TestClient(app).get('/api/auth/me')).status).toBe(401)
  })

  test('after 5 failed logins on one account from one address, that address gets 429 with Retry-After; 5 minutes later it works', async () => {
    const clock = new ManualClock()
    const limited = await testApp({ database: ctx.database, clock })
    const address = email()
    await new TestClient(limited).signup(address, 'the right password')
    const ip = '192.0.2.66'
    for (let i = 0; i < 5; i++) {
      expect((await new TestClient(limited, { ip }).post('/api/auth/login', { email: address, password: 'nope nope' })).status).toBe(401)
    }
    const sixth = await new TestClient(limited, { ip }).post('/api/auth/login', { email: address, password: 'the right password' })
    expect(sixth.status).toBe(429)
    expect(await code(sixth)).toBe('rate_limited')
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0)
    clock.advance(5 * 60_000 + 1000)
    expect((await new TestClient(limited, { ip }).post('/api/auth/login', { email: address, password: 'the right password' })).status).toBe(200)
  })

  test('more than 20 attempts from one IP within a minute → 429', async () => {
    const clock = new ManualClock(Date.parse('2026-02-01T00:00:00Z'))
    const limited = await testApp({ database: ctx.database, clock })
    const ip = '192.0.2.77'
    const statuses: number[] = []
    for (let i = 0; i < 21; i++) {
      statuses.push((await new TestClient(limited, { ip }).post('/api/auth/login', { email: email(), password: 'whatever pw' })).status)
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true)
    expect(statuses[20]).toBe(429)
  })

  test('sessions expire when idle and at their absolute limit; use slides the idle expiry', async () => {
    const clock = new ManualClock(Date.parse('2026-03-01T00:00:00Z'))
    const policy = { idleMs: 60 * 60_000, absoluteMs: 3 * 60 * 60_000 }
    const a = await testApp({ database: ctx.database, clock, sessionPolicy: policy })
    const idle = new TestClient(a)
    await idle.signup()
    clock.advance(59 * 60_000)
    expect((await idle.get('/api/auth/me')).status).toBe(200) // slides to +60 min from here
    clock.advance(59 * 60_000)
    expect((await idle.get('/api/auth/me')).status).toBe(200)
    clock.advance(61 * 60_000)
    expect((await idle.get('/api/auth/me')).status).toBe(401)

    const busy = new TestClient(a)
    await busy.signup()
    for (let i = 0; i < 6; i++) {
      clock.advance(30 * 60_000)
      expect((await busy.get('/api/auth/me')).status, `after ${(i + 1) * 30} min`).toBe(i < 5 ? 200 : 401)
    }
  })

  test('over https the cookie is __Host- prefixed and Secure', async () => {
    const secure = await testApp({ database: ctx.database, publicUrl: 'https://ide.example.com' })
    const res = await new TestClient(secure).request('POST', 'https://ide.example.com/api/auth/signup', {
      json: { email: email(), password: 'long enough pw' },
      headers: { origin: 'https://ide.example.com' },
    })
    expect(res.status).toBe(201)
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/^__Host-slipway_session=/)
    expect(cookie).toMatch(/; Secure/)
    expect(cookie).toMatch(/; Path=\//)
    expect(cookie).not.toMatch(/Domain=/)
  })
})
