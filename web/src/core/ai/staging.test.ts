import { FILES_MAP } from '@slipway/shared'
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { AI_ORIGIN, CheckpointWriter, undoRecords } from './checkpoints.ts'
import type { FileRecord } from './checkpoints.ts'
import { replay, StagedEdits, stagedKind } from './staging.ts'
import type { OpOrigin, StagedChange } from './staging.ts'

const T1: OpOrigin = { conversationId: 'c1', turnId: 't1' }
const T2: OpOrigin = { conversationId: 'c1', turnId: 't2' }

function setup(files: Record<string, string> = { 'a.ts': 'one\ntwo\nthree\n', 'b.ts': 'bee\n' }) {
  const doc = new Y.Doc()
  const map = doc.getMap<Y.Text | Uint8Array>(FILES_MAP)
  for (const [p, v] of Object.entries(files)) map.set(p, new Y.Text(v))
  const staged = new StagedEdits(map)
  const records = new Map<string, FileRecord[]>()
  const writers = new Map<string, CheckpointWriter>()
  const writerFor = (o: OpOrigin) => {
    let w = writers.get(o.turnId)
    if (!w) writers.set(o.turnId, (w = new CheckpointWriter(map, records.get(o.turnId) ?? [])))
    return w
  }
  const accept = (paths: string[]) => {
    writers.clear()
    const report = staged.accept(paths, writerFor)
    for (const [turn, w] of writers) records.set(turn, w.result())
    return report
  }
  const text = (p: string) => map.get(p)?.toString()
  return { doc, map, staged, accept, records, text }
}

const rep = (old: string, next: string, o = T1): StagedChange => ({ type: 'replace', old, new: next, ...o })

test('replay applies changes in order and says why one no longer applies', () => {
  expect(replay('abc', [rep('b', 'B'), rep('aB', 'x')])).toEqual({ ok: true, text: 'xc' })
  expect(replay(undefined, [{ type: 'create', content: 'n', ...T1 }, rep('n', 'm')])).toEqual({ ok: true, text: 'm' })
  expect(replay('abab', [rep('ab', 'x')])).toEqual({ ok: false, message: 'the text to replace ("ab") now occurs more than once' })
  expect(replay('abc', [rep('z', 'x')])).toEqual({ ok: false, message: 'the text to replace ("z") is no longer there' })
  expect(replay('abc', [{ type: 'create', content: '', ...T1 }])).toEqual({ ok: false, message: 'a file of that name exists now' })
})

describe('StagedEdits', () => {
  test('staged changes are what the assistant reads and lists; the doc and other readers see no change', () => {
    const { staged, text } = setup()
    staged.stage('a.ts', rep('two', 'TWO'))
    staged.stage('c.ts', { type: 'create', content: 'sea\n', ...T1 })
    staged.stage('b.ts', { type: 'delete', ...T1 })
    expect(staged.read('a.ts')).toEqual({ kind: 'text', text: 'one\nTWO\nthree\n' })
    expect(staged.read('b.ts')).toEqual({ kind: 'missing' })
    expect(staged.paths()).toEqual(['a.ts', 'c.ts'])
    expect(staged.store.get().map((f) => [f.path, stagedKind(f)])).toEqual([
      ['a.ts', 'edit'],
      ['c.ts', 'create'],
      ['b.ts', 'delete'],
    ])
    expect(text('a.ts')).toBe('one\ntwo\nthree\n')
    expect(staged.diff('a.ts')).toEqual({ original: 'one\ntwo\nthree\n', proposed: 'one\nTWO\nthree\n' })
    expect(staged.diff('c.ts')).toEqual({ original: undefined, proposed: 'sea\n' })
  })

  test('accept applies one file in one transaction with the assistant origin, keeping a keystroke made meanwhile', () => {
    const { doc, map, staged, accept, text, records } = setup()
    staged.stage('a.ts', rep('two', 'TWO'))
    staged.stage('a.ts', rep('three', 'THREE'))
    staged.stage('b.ts', rep('bee', 'BEE'))
    ;(map.get('a.ts') as Y.Text).insert(0, '// mine\n')
    const origins: unknown[] = []
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin))
    expect(accept(['a.ts'])).toEqual({ applied: ['a.ts'], conflicts: [] })
    expect(origins).toEqual([AI_ORIGIN])
    expect(text('a.ts')).toBe('// mine\none\nTWO\nTHREE\n')
    expect(staged.store.get().map((f) => f.path)).toEqual(['b.ts'])
    undoRecords(map, records.get('t1')!)
    expect(text('a.ts')).toBe('// mine\none\ntwo\nthree\n')
  })

  test('a change the person’s edit broke stays staged and is reported; the diff shows it on the old text', () => {
    const { map, staged, accept, text } = setup()
    staged.stage('a.ts', rep('two', 'TWO'))
    const t = map.get('a.ts') as Y.Text
    t.delete(4, 3)
    t.insert(4, 'deux')
    expect(accept(['a.ts'])).toEqual({ applied: [], conflicts: [{ path: 'a.ts', message: 'a.ts changed since the edit was proposed: the text to replace ("two") is no longer there' }] })
    expect(text('a.ts')).toBe('one\ndeux\nthree\n')
    expect(staged.diff('a.ts')).toEqual({ original: 'one\ndeux\nthree\n', proposed: 'one\nTWO\nthree\n', conflict: 'the text to replace ("two") is no longer there' })
    // The model keeps seeing its own edit.
    expect(staged.read('a.ts')).toEqual({ kind: 'text', text: 'one\nTWO\nthree\n' })
  })

  test('accept all: creations, deletions and edits from two turns, each recorded in its turn', () => {
    const { map, staged, accept, text, records } = setup()
    staged.stage('a.ts', rep('one', '1'))
    staged.stage('c.ts', { type: 'create', content: 'sea\n', ...T1 })
    staged.stage('a.ts', rep('three', '3', T2))
    staged.stage('b.ts', { type: 'delete', ...T2 })
    expect(accept(staged.store.get().map((f) => f.path)).applied).toEqual(['a.ts', 'c.ts', 'b.ts'])
    expect(text('a.ts')).toBe('1\ntwo\n3\n')
    expect(text('c.ts')).toBe('sea\n')
    expect(map.has('b.ts')).toBe(false)
    expect(records.get('t1')!.map((r) => [r.path, r.kind])).toEqual([
      ['a.ts', 'edited'],
      ['c.ts', 'created'],
    ])
    undoRecords(map, records.get('t2')!)
    expect(text('a.ts')).toBe('1\ntwo\nthree\n')
    expect(text('b.ts')).toBe('bee\n')
    undoRecords(map, records.get('t1')!)
    expect(text('a.ts')).toBe('one\ntwo\nthree\n')
    expect(map.has('c.ts')).toBe(false)
  })

  test('reject drops a file’s changes; rejectTurn drops one turn’s and keeps the others', () => {
    const { staged, text } = setup()
    staged.stage('a.ts', rep('one', '1'))
    staged.stage('a.ts', rep('two', '2', T2))
    staged.stage('b.ts', rep('bee', 'B', T2))
    staged.rejectTurn('t2')
    expect(staged.store.get().map((f) => [f.path, f.changes.length])).toEqual([['a.ts', 1]])
    staged.reject(['a.ts'])
    expect(staged.store.get()).toEqual([])
    expect(text('a.ts')).toBe('one\ntwo\nthree\n')
  })
})
