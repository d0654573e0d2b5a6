import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { applyEdits, deltaToEdits, type DeltaOp } from './textEdits.ts'

test('retain/insert/delete become replace edits in old coordinates', () => {
  expect(deltaToEdits([{ insert: 'ab' }])).toEqual([{ from: 0, to: 0, text: 'ab', newEnd: 2 }])
  expect(deltaToEdits([{ retain: 3 }, { delete: 2 }])).toEqual([{ from: 3, to: 5, text: '', newEnd: 3 }])
  // delete + insert at one place merge; insert + delete too.
  expect(deltaToEdits([{ retain: 1 }, { delete: 2 }, { insert: 'xyz' }])).toEqual([{ from: 1, to: 3, text: 'xyz', newEnd: 4 }])
  expect(deltaToEdits([{ retain: 1 }, { insert: 'xyz' }, { delete: 2 }])).toEqual([{ from: 1, to: 3, text: 'xyz', newEnd: 4 }])
  expect(deltaToEdits([{ insert: 'A' }, { retain: 2 }, { delete: 1 }, { retain: 1 }, { insert: 'B' }])).toEqual([
    { from: 0, to: 0, text: 'A', newEnd: 1 },
    { from: 2, to: 3, text: '', newEnd: 3 },
    { from: 4, to: 4, text: 'B', newEnd: 5 },
  ])
  expect(deltaToEdits([])).toEqual([])
})

test('applying the edits to the old text gives the new Y.Text, for random concurrent changes', () => {
  let seed = 7
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return seed % n
  }
  for (let round = 0; round < 300; round++) {
    const a = new Y.Doc()
    const b = new Y.Doc()
    const ta = a.getText('t')
    const tb = b.getText('t')
    ta.insert(0, 'hello world\nsecond line\n')
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    // Several edits on b, merged into a as one update: a's observer sees a multi-op delta.
    for (let i = 0; i < 1 + rand(4); i++) {
      const len = tb.length
      if (rand(2) && len) tb.delete(rand(len), 1 + rand(Math.min(4, len - 1) || 1))
      else tb.insert(rand(len + 1), 'xyz\n'.slice(0, 1 + rand(4)))
    }
    ta.insert(rand(ta.length + 1), 'A')
    const before = ta.toString()
    let delta: DeltaOp[] = []
    ta.observe((e) => (delta = e.delta as DeltaOp[]))
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    expect(applyEdits(before, deltaToEdits(delta))).toBe(ta.toString())
  }
})
