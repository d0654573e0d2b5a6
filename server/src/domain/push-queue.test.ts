import { describe, expect, test } from 'vitest'
import { PushQueue } from './push-queue.ts'
import type { BatchOutcome } from './push-queue.ts'

/// A commit over a per-key lock (as the doc lock in the database): it takes its batch once it holds the lock, then
/// waits for `release` before answering, so tests decide when a transaction ends.
function lockedCommit(answer: (batch: string[]) => BatchOutcome<string> = (b) => ({ split: false, results: b.map((v) => ({ ok: true, value: `${v}!` })) })) {
  const locks = new Map<string, Promise<void>>()
  const batches: string[][] = []
  const gates: Array<() => void> = []
  const commit = async (key: string, take: () => string[]) => {
    const previous = locks.get(key) ?? Promise.resolve()
    let unlock!: () => void
    locks.set(key, previous.then(() => new Promise<void>((r) => (unlock = r))))
    await previous
    const batch = take()
    batches.push(batch)
    await new Promise<void>((r) => gates.push(r))
    unlock()
    return answer(batch)
  }
  const releaseAll = async () => {
    for (let i = 0; i < 50; i++) {
      while (gates.length) gates.shift()!()
      await new Promise((r) => setImmediate(r))
    }
  }
  return { commit, batches, gates, releaseAll }
}

const tick = () => new Promise((r) => setImmediate(r))

describe('PushQueue', () => {
  test('pushes that arrive while a transaction runs go into the next one together, each settled with its own result', async () => {
    const c = lockedCommit()
    const q = new PushQueue(c.commit)
    const a = q.push('p', 'a')
    await tick()
    expect(c.batches).toEqual([['a']])
    const rest = ['b', 'c', 'd'].map((v) => q.push('p', v))
    await tick()
    // The next transaction is waiting for the lock: nothing taken yet.
    expect(c.batches).toEqual([['a']])
    await c.releaseAll()
    expect(await a).toBe('a!')
    expect(await Promise.all(rest)).toEqual(['b!', 'c!', 'd!'])
    expect(c.batches).toEqual([['a'], ['b', 'c', 'd']])
    expect(q.busyKeys).toBe(0)
  })

  test('a batch holds at most maxBatch pushes; the rest go into the one after', async () => {
    const c = lockedCommit()
    const q = new PushQueue(c.commit, 2)
    const all = ['a', 'b', 'c', 'd', 'e'].map((v) => q.push('p', v))
    await c.releaseAll()
    await Promise.all(all)
    expect(c.batches).toEqual([['a', 'b'], ['c', 'd'], ['e']])
  })

  test('keys do not wait for each other', async () => {
    const c = lockedCommit()
    const q = new PushQueue(c.commit)
    void q.push('p', 'a')
    void q.push('r', 'x')
    await tick()
    expect(c.batches).toEqual([['a'], ['x']])
    await c.releaseAll()
  })

  test('one refused push fails alone', async () => {
    const c = lockedCommit((b) => ({ split: false, results: b.map((v) => (v === 'bad' ? { ok: false, error: new Error(`refused ${v}`) } : { ok: true, value: v })) }))
    const q = new PushQueue(c.commit)
    void q.push('p', 'first')
    await tick()
    const [good, bad] = [q.push('p', 'good'), q.push('p', 'bad').catch((e: Error) => e.message)]
    await c.releaseAll()
    expect(await good).toBe('good')
    expect(await bad).toBe('refused bad')
  })

  test('a split batch is committed push by push, and each push gets its own answer', async () => {
    const c = lockedCommit((b) => (b.length > 1 ? { split: true } : b[0] === 'big' ? { split: false, results: [{ ok: false, error: new Error('too big') }] } : { split: false, results: [{ ok: true, value: b[0]! }] }))
    const q = new PushQueue(c.commit)
    void q.push('p', 'first')
    await tick()
    const pushes = ['x', 'big', 'y'].map((v) => q.push('p', v).catch((e: Error) => e.message))
    await c.releaseAll()
    expect(await Promise.all(pushes)).toEqual(['x', 'too big', 'y'])
    expect(c.batches).toEqual([['first'], ['x', 'big', 'y'], ['x'], ['big'], ['y']])
  })

  test('a commit that fails before taking its batch fails the pushes it would have taken; the queue is empty after', async () => {
    let fail = true
    const q = new PushQueue<string, string>(async (_key, take) => {
      if (fail) throw new Error('project gone')
      return { split: false, results: take().map((v) => ({ ok: true, value: v })) }
    })
    const [a, b] = [q.push('p', 'a'), q.push('p', 'b')]
    await expect(a).rejects.toThrow('project gone')
    await expect(b).rejects.toThrow('project gone')
    await tick()
    expect(q.busyKeys).toBe(0)
    fail = false
    expect(await q.push('p', 'c')).toBe('c')
  })

  test('a commit that fails after taking its batch fails that batch only', async () => {
    let calls = 0
    const q = new PushQueue<string, string>(async (_key, take) => {
      const batch = take()
      if (calls++ === 0) throw new Error('connection lost')
      return { split: false, results: batch.map((v) => ({ ok: true, value: v })) }
    })
    const a = q.push('p', 'a')
    await expect(a).rejects.toThrow('connection lost')
    expect(await q.push('p', 'b')).toBe('b')
  })
})
