import { expect, test } from 'vitest'
import { debounceToFrame } from './frameDebounce.ts'
import type { FrameClock } from './frameDebounce.ts'

/// A clock that runs nothing until told: `advance(ms)` fires due timers, `frame()` runs pending animation frames.
function manualClock() {
  let now = 0
  let nextId = 1
  const timers = new Map<number, { at: number; fn: () => void }>()
  const frames = new Map<number, () => void>()
  const clock: FrameClock = {
    setTimeout: (fn, ms) => (timers.set(nextId, { at: now + ms, fn }), nextId++),
    clearTimeout: (h) => timers.delete(h as number),
    requestAnimationFrame: (fn) => (frames.set(nextId, fn), nextId++),
    cancelAnimationFrame: (h) => frames.delete(h as number),
  }
  return {
    clock,
    advance(ms: number) {
      now += ms
      for (const [id, t] of [...timers]) if (t.at <= now) (timers.delete(id), t.fn())
    },
    frame() {
      const due = [...frames.values()]
      frames.clear()
      due.forEach((f) => f())
    },
    pending: () => timers.size + frames.size,
  }
}

test('a burst of calls runs once, after the quiet period, in a frame', () => {
  const t = manualClock()
  let runs = 0
  const d = debounceToFrame(() => runs++, 50, t.clock)
  for (let i = 0; i < 10; i++) {
    d.schedule()
    t.advance(20)
  }
  t.frame()
  expect(runs).toBe(0)
  t.advance(50)
  expect(runs).toBe(0)
  t.frame()
  expect(runs).toBe(1)
  expect(t.pending()).toBe(0)
})

test('scheduling again while a frame is pending restarts the wait', () => {
  const t = manualClock()
  let runs = 0
  const d = debounceToFrame(() => runs++, 50, t.clock)
  d.schedule()
  t.advance(50)
  d.schedule()
  t.frame()
  expect(runs).toBe(0)
  t.advance(50)
  t.frame()
  expect(runs).toBe(1)
})

test('cancel drops a pending run', () => {
  const t = manualClock()
  let runs = 0
  const d = debounceToFrame(() => runs++, 50, t.clock)
  d.schedule()
  t.advance(50)
  d.cancel()
  t.frame()
  expect(runs).toBe(0)
  expect(t.pending()).toBe(0)
})
