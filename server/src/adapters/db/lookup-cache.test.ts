import { describe, expect, test } from 'vitest'
import { LookupCache, applyNotification } from './lookup-cache.ts'

function cache(leaseMs?: number) {
  let t = 1000
  const c = new LookupCache({ ttlMs: 10_000, maxEntries: 3, ...(leaseMs === undefined ? {} : { leaseMs }), now: () => t })
  return { c, advance: (ms: number) => (t += ms), now: () => t }
}

describe('LookupCache', () => {
  test('serves what was set until it is invalidated or its ttl runs out', () => {
    const { c, advance } = cache()
    c.set('s:a', 1, c.ticket())
    expect(c.get('s:a')).toBe(1)
    c.invalidate('s:a')
    expect(c.get('s:a')).toBeUndefined()
    c.set('s:b', 2, c.ticket())
    advance(10_000)
    expect(c.get('s:b')).toBeUndefined()
  })

  test('getAt, at a time read once, answers as get would at that time: ttl, invalidation and lease', () => {
    const { c, advance, now } = cache(300)
    c.set('s:a', 1, c.ticket())
    expect(c.getAt('s:a', c.time())).toBeUndefined() // no lease yet
    c.renewLease(now())
    expect(c.getAt('s:a', c.time())).toBe(1)
    advance(299)
    expect(c.getAt('s:a', c.time())).toBe(1)
    advance(1)
    expect(c.getAt('s:a', c.time())).toBeUndefined() // lease over
    c.renewLease(now())
    c.invalidate('s:a')
    expect(c.getAt('s:a', c.time())).toBeUndefined()
    c.set('s:b', 2, c.ticket())
    c.renewLease(now() + 20_000)
    advance(10_000)
    expect(c.getAt('s:b', c.time())).toBeUndefined() // ttl
  })

  test('a fill whose read started before an invalidation of its key (or of everything) is refused', () => {
    const { c } = cache()
    const before = c.ticket()
    c.invalidate('s:a')
    c.set('s:a', 'stale', before)
    expect(c.get('s:a')).toBeUndefined()
    c.set('s:other', 'fine', before) // other keys are not affected
    expect(c.get('s:other')).toBe('fine')
    const after = c.ticket()
    c.set('s:a', 'fresh', after)
    expect(c.get('s:a')).toBe('fresh')
    const old = c.ticket()
    c.invalidateAll()
    c.set('s:c', 'stale', old)
    expect(c.get('s:c')).toBeUndefined()
    expect(c.get('s:a')).toBeUndefined()
  })

  test('keeps at most maxEntries', () => {
    const { c } = cache()
    for (const k of ['a', 'b', 'c', 'd']) c.set(k, k, c.ticket())
    expect(c.get('a')).toBeUndefined()
    expect(c.get('d')).toBe('d')
  })

  test('with a lease: unused until its own ping comes back, and again once the lease lapses or is dropped', () => {
    const { c, advance, now } = cache(300)
    c.set('s:a', 1, c.ticket())
    expect(c.live).toBe(false)
    expect(c.get('s:a')).toBeUndefined()
    applyNotification(c, 'me', `ping:someone-else:${now()}`)
    expect(c.live).toBe(false)
    applyNotification(c, 'me', `ping:me:${now()}`)
    expect(c.live).toBe(true)
    expect(c.get('s:a')).toBe(1)
    advance(299)
    expect(c.live).toBe(true)
    advance(1)
    expect(c.live).toBe(false)
    // A late ping renews from when it was sent, not when it arrived.
    applyNotification(c, 'me', `ping:me:${now() - 250}`)
    expect(c.live).toBe(true)
    advance(60)
    expect(c.live).toBe(false)
    applyNotification(c, 'me', `ping:me:${now()}`)
    c.dropLease()
    expect(c.live).toBe(false)
    applyNotification(c, 'me', `ping:me:${now()}`)
    expect(c.get('s:a')).toBeUndefined() // dropping the lease also forgot the entries
  })

  test('notifications invalidate the keys they name; a deleted project (o:) drops its record too', () => {
    const { c } = cache()
    c.set('p:1', 'x', c.ticket())
    c.set('o:1', 'x', c.ticket())
    applyNotification(c, 'me', 'p:1')
    expect(c.get('p:1')).toBeUndefined()
    expect(c.get('o:1')).toBe('x')
    c.set('p:1', 'x', c.ticket())
    applyNotification(c, 'me', 'o:1')
    expect(c.get('p:1')).toBeUndefined()
    expect(c.get('o:1')).toBeUndefined()
  })
})
