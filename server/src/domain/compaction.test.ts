import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { mergeRows, planCompaction } from './compaction.ts'

const rows = (...bytes: number[]) => bytes.map((b, i) => ({ seq: i + 1, bytes: b }))

describe('planCompaction', () => {
  test('nothing to do for a short log whose tail is smaller than its base', () => {
    expect(planCompaction(rows(1000), 4)).toBeUndefined()
    expect(planCompaction(rows(1000, 10, 10, 10), 4)).toBeUndefined()
  })

  test('full compaction once the tail holds as many bytes as the base, however few rows', () => {
    expect(planCompaction(rows(1000, 600, 400), 128)).toEqual({ from: 1, to: 3, full: true })
    expect(planCompaction(rows(10, 5_000_000), 128)).toEqual({ from: 1, to: 2, full: true })
  })

  test('past maxRows with a small tail: merges the suffix of rows no bigger than what follows them', () => {
    // base, an earlier merged row of 40, then five rows of 5: only the five are merged.
    expect(planCompaction(rows(1000, 40, 5, 5, 5, 5, 5), 6)).toEqual({ from: 3, to: 7, full: false })
    // Once the small rows add up to the merged row, it is merged with them.
    expect(planCompaction(rows(1000, 20, 5, 5, 5, 5, 5), 6)).toEqual({ from: 2, to: 7, full: false })
    // Always at least two rows.
    expect(planCompaction(rows(1000, 50, 40, 30, 20, 10), 5)).toEqual({ from: 5, to: 6, full: false })
  })

  test('keeps the row count bounded and the rewritten bytes small under a long stream of small pushes', () => {
    let log = rows(100_000)
    let seq = 1
    let rewritten = 0
    for (let push = 0; push < 5000; push++) {
      log.push({ seq: ++seq, bytes: 50 })
      if (log.length < 128) continue
      const plan = planCompaction(log, 128)
      if (!plan) continue
      const picked = log.filter((r) => r.seq >= plan.from && r.seq <= plan.to)
      const bytes = picked.reduce((s, r) => s + r.bytes, 0)
      rewritten += bytes
      log = [...log.filter((r) => r.seq < plan.from), { seq: plan.to, bytes }]
      expect(log.length).toBeLessThan(128)
    }
    // 250 KB sent; merged O(log n) times each, never the 100 KB base more than once.
    expect(rewritten).toBeLessThan(20 * 5000 * 50)
  })
})

describe('mergeRows', () => {
  function history() {
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    const files = doc.getMap<Y.Text>('files')
    files.set('a.txt', new Y.Text('hello'))
    for (let i = 0; i < 50; i++) {
      files.get('a.txt')!.insert(0, `line ${i}\n`)
      if (i % 3 === 0) files.get('a.txt')!.delete(2, 3)
    }
    return { doc, updates }
  }

  test.each([true, false])('full=%s: the merged update builds the same doc', (full) => {
    const { doc, updates } = history()
    const merged = mergeRows(updates, full)
    const rebuilt = new Y.Doc()
    Y.applyUpdate(rebuilt, merged)
    expect(rebuilt.getMap<Y.Text>('files').get('a.txt')!.toString()).toBe(doc.getMap<Y.Text>('files').get('a.txt')!.toString())
    expect(Y.encodeStateVector(rebuilt)).toEqual(Y.encodeStateVector(doc))
  })

  test('a merge of a suffix, applied with the rows before it, builds the same doc', () => {
    const { doc, updates } = history()
    const rebuilt = new Y.Doc()
    for (const u of updates.slice(0, 20)) Y.applyUpdate(rebuilt, u)
    Y.applyUpdate(rebuilt, mergeRows(updates.slice(20), false))
    expect(rebuilt.getMap<Y.Text>('files').get('a.txt')!.toString()).toBe(doc.getMap<Y.Text>('files').get('a.txt')!.toString())
  })
})
