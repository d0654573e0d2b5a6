import { expect, test } from 'vitest'
import { DrizzleRateLimiter } from '../adapters/db/repos.ts'
import { ManualClock } from '../test/app.ts'
import { describeEachDb } from '../test/databases.ts'
import type { RateLimiter } from '../ports.ts'
import { BatchedRateLimiter } from './share-rates.ts'

let n = 0
const uniqueKey = (what: string) => `test:${what}:${Date.now()}:${n++}`

describeEachDb('BatchedRateLimiter over the shared counters', (ctx) => {
  /// The real limiter, counting the statements that reach the database.
  function shared() {
    const real = new DrizzleRateLimiter(ctx.database.db)
    const counted = { adds: 0, limiter: real as RateLimiter }
    counted.limiter = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === 'add') counted.adds++
        return Reflect.get(target, prop, receiver)
      },
    })
    return counted
  }
  const options = { flushMs: 60_000, slack: 1 / 4, maxKeys: 1000, onError: (err: unknown) => { throw err } }

  test('one process: exactly the limit per window, a database statement per slack, not per take; Retry-After to the window end', async () => {
    const clock = new ManualClock()
    const db = shared()
    const limiter = new BatchedRateLimiter(db.limiter, clock, options)
    const rule = { key: uniqueKey('one'), limit: 40, windowMs: 60_000 }
    const decisions = []
    for (let i = 0; i < 50; i++) {
      decisions.push(await limiter.take(rule))
      clock.advance(100)
    }
    expect(decisions.filter((d) => d.allowed)).toHaveLength(40)
    expect(decisions.slice(40).every((d) => !d.allowed)).toBe(true)
    // 40 hits in flushes of at most 10 (a quarter of the limit).
    expect(db.adds).toBeLessThanOrEqual(5)
    // The shared window started with the first flush (after 10 takes, 1 s in); the last refusal came 4.9 s in.
    const refused = decisions[49]!
    expect(refused.allowed ? 0 : refused.retryAfterMs).toBe(60_000 + 1000 - 4900)
    await limiter.flush()
    expect(await new DrizzleRateLimiter(ctx.database.db).count(rule.key, rule.windowMs, clock.now())).toBe(40)
    // A new window.
    clock.advance(60_000)
    expect((await limiter.take(rule)).allowed).toBe(true)
  })

  test('two processes share the count: the second is refused once its flush brings the first one\'s hits, over by at most its slack', async () => {
    const clock = new ManualClock()
    const a = new BatchedRateLimiter(shared().limiter, clock, options)
    const b = new BatchedRateLimiter(shared().limiter, clock, options)
    const rule = { key: uniqueKey('two'), limit: 40, windowMs: 60_000 }
    let allowed = 0
    for (let i = 0; i < 38; i++) if ((await a.take(rule)).allowed) allowed++
    await a.flush()
    // b has not heard of the key: it lets through its slack (10), then waits for its flush, which says 48.
    for (let i = 0; i < 30; i++) if ((await b.take(rule)).allowed) allowed++
    expect(allowed).toBe(38 + 10)
    expect((await b.take(rule)).allowed).toBe(false)
    // a learns the shared count at its next flush, and refuses from then on.
    expect((await a.take(rule)).allowed).toBe(true)
    await a.flush()
    expect((await a.take(rule)).allowed).toBe(false)
  })

  test('costs: 0 only checks; a cost larger than what is left is let through once, then the key is refused (bytes)', async () => {
    const clock = new ManualClock()
    const limiter = new BatchedRateLimiter(shared().limiter, clock, { ...options, slack: 1 })
    const rule = { key: uniqueKey('bytes'), limit: 1000, windowMs: 60_000 }
    for (let i = 0; i < 5; i++) expect((await limiter.take(rule, 0)).allowed).toBe(true)
    expect((await limiter.take(rule, 900)).allowed).toBe(true)
    expect((await limiter.take(rule, 0)).allowed).toBe(true)
    expect((await limiter.take(rule, 800)).allowed).toBe(true)
    expect((await limiter.take(rule, 0)).allowed).toBe(false)
    expect((await limiter.take(rule, 1)).allowed).toBe(false)
    await limiter.flush()
    expect(await new DrizzleRateLimiter(ctx.database.db).count(rule.key, rule.windowMs, clock.now())).toBe(1700)
  })

  test('bounded: past maxKeys the oldest keys are forgotten, and what they counted still reaches the database', async () => {
    const clock = new ManualClock()
    const db = shared()
    const limiter = new BatchedRateLimiter(db.limiter, clock, { ...options, maxKeys: 10 })
    const keys = Array.from({ length: 25 }, (_, i) => uniqueKey(`many-${i}`))
    for (const key of keys) expect((await limiter.take({ key, limit: 5, windowMs: 60_000 })).allowed).toBe(true)
    expect(limiter.size).toBeLessThanOrEqual(10)
    await limiter.flush()
    const counter = new DrizzleRateLimiter(ctx.database.db)
    for (const key of keys) expect(await counter.count(key, 60_000, clock.now())).toBe(1)
  })

  test('the shared counter saturates instead of overflowing its integer', async () => {
    const counter = new DrizzleRateLimiter(ctx.database.db)
    const key = uniqueKey('huge')
    const now = new Date()
    await counter.add([{ key, hits: 2_000_000_000 }], 60_000, now)
    const [row] = await counter.add([{ key, hits: 2_000_000_000 }], 60_000, now)
    expect(row).toMatchObject({ key, count: 2 ** 31 - 1 })
    expect(row!.windowStart.getTime()).toBe(now.getTime())
  })
})
