import { ErrorBodySchema } from '@slipway/shared'
import { asc, like } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { schema } from '../../adapters/db/index.ts'
import type { PasswordHasher } from '../../domain/auth.ts'
import { parseIpRange } from '../../middleware/client-ip/index.ts'
import { ManualClock, TestClient, testApp } from '../../test/app.ts'
import type { TestAppOptions } from '../../test/app.ts'
import { describeEachDb } from '../../test/databases.ts'

// Login rate limits (issue 15, item 3): who is counted, who is refused, and what the rate_limits table holds.

const code = async (res: Response) => ErrorBodySchema.parse(await res.json()).error.code
const email = () => `owner.${Math.random().toString(36).slice(2)}@example.com`
const RIGHT = 'the right password'
const WRONG = 'a wrong password'

/// Hashing is not what these tests are about; argon2 would make each login ~100 ms.
const fastHasher: PasswordHasher = {
  hash: async (p) => `plain:${p}`,
  verify: async (h, p) => h === `plain:${p}`,
}

let ips = 0
/// A fresh address per call, from the benchmarking range 198.18.0.0/15.
const nextIp = () => {
  ips++
  return `198.${18 + (ips >> 16)}.${(ips >> 8) & 255}.${ips & 255}`
}

describeEachDb('login rate limits', (ctx) => {
  const app = (o: Partial<TestAppOptions> = {}) => testApp({ database: ctx.database, hasher: fastHasher, ...o })
  type App = Awaited<ReturnType<typeof app>>

  const login = (a: App, ip: string, address: string, password: string, headers: Record<string, string> = {}) =>
    new TestClient(a, { ip }).request('POST', '/api/auth/login', { json: { email: address, password }, headers })

  async function owner(a: App) {
    const address = email()
    await new TestClient(a, { ip: nextIp() }).signup(address, RIGHT)
    return address
  }

  const rows = () => ctx.database.db.select().from(schema.rateLimits).orderBy(asc(schema.rateLimits.key))

  test('an attacker failing from one address does not lock the owner out: the owner logs in from another address', async () => {
    const a = await app({ clock: new ManualClock(Date.parse('2026-04-01T00:00:00Z')) })
    const address = await owner(a)
    const attacker = nextIp()
    const statuses: number[] = []
    for (let i = 0; i < 30; i++) statuses.push((await login(a, attacker, address, `${WRONG} ${i}`)).status)
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true)
    // The attacker's address is refused even with the right password; the owner's is not.
    expect((await login(a, attacker, address, RIGHT)).status).toBe(429)
    expect((await login(a, nextIp(), address, RIGHT)).status).toBe(200)
  })

  test('guessing one account from many addresses is slowed to one try per address, and the owner still gets in', async () => {
    const a = await app({ clock: new ManualClock(Date.parse('2026-04-02T00:00:00Z')) })
    const address = await owner(a)
    // Four addresses use their five tries each: the account has 20 failures and is under attack.
    for (let n = 0; n < 4; n++) {
      const ip = nextIp()
      for (let i = 0; i < 5; i++) expect((await login(a, ip, address, WRONG)).status).toBe(401)
    }
    // From now on every address gets one try on this account, not five.
    for (let n = 0; n < 10; n++) {
      const ip = nextIp()
      expect((await login(a, ip, address, WRONG)).status).toBe(401)
      const second = await login(a, ip, address, WRONG)
      expect(second.status).toBe(429)
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0)
    }
    // Other accounts are not affected.
    const other = await owner(a)
    const ip = nextIp()
    for (let i = 0; i < 5; i++) expect((await login(a, ip, other, WRONG)).status).toBe(401)
    // The owner, from an address that has not been failing, gets in with the right password.
    expect((await login(a, nextIp(), address, RIGHT)).status).toBe(200)
  })

  test('more than 20 failed logins from one address, on any accounts, within a minute → 429; a minute later it may try again', async () => {
    const clock = new ManualClock(Date.parse('2026-04-03T00:00:00Z'))
    const a = await app({ clock })
    const ip = nextIp()
    const statuses: number[] = []
    for (let i = 0; i < 22; i++) statuses.push((await login(a, ip, email(), WRONG)).status)
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true)
    expect(statuses.slice(20)).toEqual([429, 429])
    clock.advance(60_000)
    expect((await login(a, ip, email(), WRONG)).status).toBe(401)
  })

  test('a burst of parallel guesses is counted before any is checked: no more than the allowance gets through', async () => {
    const slow: PasswordHasher = { ...fastHasher, verify: async (h, p) => (await new Promise((r) => setTimeout(r, 50)), h === `plain:${p}`) }
    const a = await app({ clock: new ManualClock(Date.parse('2026-04-12T00:00:00Z')), hasher: slow })
    const address = await owner(a)
    const ip = nextIp()
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => login(a, ip, address, `${WRONG} ${i}`).then((r) => r.status)))
    expect(statuses.filter((s) => s === 401)).toHaveLength(5)
    expect(statuses.filter((s) => s === 429)).toHaveLength(25)
  })

  test('successful logins are not counted: the owner can log in again and again from one address', async () => {
    const a = await app({ clock: new ManualClock(Date.parse('2026-04-04T00:00:00Z')) })
    const address = await owner(a)
    const ip = nextIp()
    for (let i = 0; i < 30; i++) expect((await login(a, ip, address, RIGHT)).status).toBe(200)
    const left = await ctx.database.db.select().from(schema.rateLimits).where(like(schema.rateLimits.key, `%${ip}%`))
    expect(left).toEqual([])
  })

  test('refused requests add no rows and change no counts', async () => {
    const a = await app({ clock: new ManualClock(Date.parse('2026-04-05T00:00:00Z')) })
    const ip = nextIp()
    for (let i = 0; i < 20; i++) expect((await login(a, ip, email(), WRONG)).status).toBe(401)
    const before = await rows()
    // New accounts, each of which would have its own counters, from an address that is over its limit.
    for (let i = 0; i < 15; i++) expect((await login(a, ip, email(), WRONG)).status).toBe(429)
    expect(await rows()).toEqual(before)

    // Refused by the (account, address) counter, after the address counter allowed it: nothing is counted either.
    const address = await owner(a)
    const other = nextIp()
    for (let i = 0; i < 5; i++) expect((await login(a, other, address, WRONG)).status).toBe(401)
    const during = await rows()
    for (let i = 0; i < 5; i++) expect((await login(a, other, address, WRONG)).status).toBe(429)
    expect(await rows()).toEqual(during)
  })

  test('finished windows are purged, so the table does not grow with time', async () => {
    const clock = new ManualClock(Date.parse('2026-05-01T00:00:00Z'))
    const a = await app({ clock })
    const sizes: number[] = []
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 10; i++) expect((await login(a, nextIp(), email(), WRONG)).status).toBe(401)
      sizes.push((await rows()).length)
      clock.advance(16 * 60_000)
    }
    // One login after the last round's windows are over purges them too.
    expect((await login(a, nextIp(), email(), WRONG)).status).toBe(401)
    const now = clock.now().getTime()
    const left = await rows()
    expect(left.filter((r) => r.windowStart.getTime() <= now - 15 * 60_000)).toEqual([])
    expect(left.length).toBeLessThanOrEqual(3)
    // Each round leaves its own 30 counters (3 per failed login) and nothing from the rounds before.
    expect(sizes.slice(1).every((n) => n <= sizes[0]!)).toBe(true)
  })

  test('IPv6 clients are counted by their /64', async () => {
    const a = await app({ clock: new ManualClock(Date.parse('2026-04-06T00:00:00Z')) })
    const statuses: number[] = []
    for (let i = 1; i <= 21; i++) statuses.push((await login(a, `2001:db8:15:3::${i.toString(16)}`, email(), WRONG)).status)
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true)
    expect(statuses[20]).toBe(429)
    expect((await login(a, '2001:db8:15:3:ffff:1:2:3', email(), WRONG)).status).toBe(429)
    expect((await login(a, '2001:db8:15:4::1', email(), WRONG)).status).toBe(401)
  })

  describe('behind a proxy', () => {
    const proxy = '10.20.0.2'
    const trustedProxies = [parseIpRange('10.20.0.0/24')!]

    test('behind a trusted proxy each client is counted by its own address: one failing client does not lock out the rest', async () => {
      const a = await app({ clock: new ManualClock(Date.parse('2026-04-07T00:00:00Z')), trustedProxies })
      const address = await owner(a)
      const attacker = nextIp()
      for (let i = 0; i < 25; i++) await login(a, proxy, email(), WRONG, { 'x-forwarded-for': attacker })
      expect((await login(a, proxy, email(), WRONG, { 'x-forwarded-for': attacker })).status).toBe(429)
      // Another client through the same proxy: not refused, and the owner gets in.
      expect((await login(a, proxy, email(), WRONG, { 'x-forwarded-for': nextIp() })).status).toBe(401)
      expect((await login(a, proxy, address, RIGHT, { 'x-forwarded-for': nextIp() })).status).toBe(200)
    })

    test('behind a trusted proxy, what the client writes into X-Forwarded-For is not its key: the hop the proxy appended is', async () => {
      const a = await app({ clock: new ManualClock(Date.parse('2026-04-08T00:00:00Z')), trustedProxies })
      const attacker = nextIp()
      const statuses: number[] = []
      for (let i = 0; i < 21; i++) {
        statuses.push((await login(a, proxy, email(), WRONG, { 'x-forwarded-for': `${nextIp()}, ${attacker}` })).status)
      }
      expect(statuses[20]).toBe(429)
    })

    test('from a peer that is not a trusted proxy, X-Forwarded-For is ignored', async () => {
      const a = await app({ clock: new ManualClock(Date.parse('2026-04-09T00:00:00Z')), trustedProxies })
      const attacker = nextIp()
      const statuses: number[] = []
      for (let i = 0; i < 21; i++) statuses.push((await login(a, attacker, email(), WRONG, { 'x-forwarded-for': nextIp() })).status)
      expect(statuses[20]).toBe(429)
    })

    test('with no trusted proxies configured, X-Forwarded-For is ignored even from loopback', async () => {
      const a = await app({ clock: new ManualClock(Date.parse('2026-04-10T00:00:00Z')) })
      const statuses: number[] = []
      for (let i = 0; i < 21; i++) statuses.push((await login(a, '127.0.0.1', email(), WRONG, { 'x-forwarded-for': nextIp() })).status)
      expect(statuses[20]).toBe(429)
    })
  })

  test('signups are limited per address too, and a refused signup counts nothing', async () => {
    const a = await app({ clock: new ManualClock(Date.parse('2026-04-11T00:00:00Z')) })
    const ip = nextIp()
    for (let i = 0; i < 20; i++) expect((await new TestClient(a, { ip }).post('/api/auth/signup', { email: email(), password: RIGHT })).status).toBe(201)
    const before = await rows()
    const refused = await new TestClient(a, { ip }).post('/api/auth/signup', { email: email(), password: RIGHT })
    expect(refused.status).toBe(429)
    expect(await code(refused)).toBe('rate_limited')
    expect(await rows()).toEqual(before)
  })
})
