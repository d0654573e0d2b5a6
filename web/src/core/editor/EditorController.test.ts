import { expect, test } from 'vitest'
import { EditorController, type EditorTarget, type RevealRequest } from './EditorController.ts'

function target() {
  const calls: string[] = []
  const t: EditorTarget = {
    reveal: (r: RevealRequest) => void calls.push(`reveal ${r.path}:${r.line}:${r.column}+${r.length}`),
    focus: () => void calls.push('focus'),
    refreshTypes: async () => void calls.push('refresh'),
    selectionText: () => 'sel',
    symbols: async (path) => [{ name: `in ${path}`, kind: 'function', line: 1, column: 1 }],
    goToLine: () => (calls.push('goToLine'), true),
  }
  return { t, calls }
}

test('after dispose (the project closed) requests do nothing and a late editor attaches to nothing', async () => {
  const c = new EditorController()
  const first = target()
  c.attach(first.t)
  c.focus()
  c.dispose()
  c.focus()
  c.reveal('a.ts', 1)
  c.revealLines('a.ts', 1, 2)
  expect(c.selectionText()).toBeUndefined()
  expect(await c.symbols('a.ts')).toEqual([])
  const late = target()
  c.attach(late.t)()
  await Promise.resolve()
  expect(first.calls).toEqual(['focus'])
  expect(late.calls).toEqual([])
})

test('requests before the editor attaches wait; the last reveal wins over focus', async () => {
  const c = new EditorController()
  c.focus()
  c.reveal('a.ts', 3, 2, 4)
  c.reveal('b.ts', 0, 0, -1)
  await c.refreshTypes()
  expect(c.selectionText()).toBeUndefined()
  const { t, calls } = target()
  const detach = c.attach(t)
  await Promise.resolve()
  expect(calls).toEqual(['reveal b.ts:1:1+0'])
  c.focus()
  await c.refreshTypes()
  expect(c.selectionText()).toBe('sel')
  expect(calls).toEqual(['reveal b.ts:1:1+0', 'focus', 'refresh'])
  detach()
  c.focus()
  expect(calls).toHaveLength(3)
})

test('a pending focus goes to the editor attached a microtask later (StrictMode remounts)', async () => {
  const c = new EditorController()
  c.focus()
  const first = target()
  const detachFirst = c.attach(first.t)
  detachFirst()
  const second = target()
  c.attach(second.t)
  await Promise.resolve()
  expect(first.calls).toEqual([])
  expect(second.calls).toEqual(['focus'])
})

test('a focus with a condition asks it when the focus would move: at once, or when the editor attaches', async () => {
  const c = new EditorController()
  let free = true
  c.focus(() => free)
  // The person went somewhere else (naming a new file) while the editor loaded.
  free = false
  const { t, calls } = target()
  c.attach(t)
  await Promise.resolve()
  expect(calls).toEqual([])
  c.focus(() => free)
  expect(calls).toEqual([])
  free = true
  c.focus(() => free)
  expect(calls).toEqual(['focus'])
})

test('a stale detach does not drop a newer target', async () => {
  const c = new EditorController()
  const first = target()
  const detachFirst = c.attach(first.t)
  const second = target()
  c.attach(second.t)
  detachFirst()
  c.reveal('x', 1)
  expect(second.calls).toEqual(['reveal x:1:1+0'])
})

test('symbols: none before the editor attaches, then the editor answers', async () => {
  const c = new EditorController()
  expect(await c.symbols('a.ts')).toEqual([])
  c.attach(target().t)
  expect(await c.symbols('a.ts')).toEqual([{ name: 'in a.ts', kind: 'function', line: 1, column: 1 }])
})

test('go to line waits for nothing: false until the editor has attached', () => {
  const c = new EditorController()
  expect(c.goToLine()).toBe(false)
  const { t, calls } = target()
  c.attach(t)
  expect(c.goToLine()).toBe(true)
  expect(calls).toEqual(['goToLine'])
  expect(c.problems.get()).toEqual({ status: 'off', problems: [] })
})
