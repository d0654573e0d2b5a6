import { FILES_MAP } from '@slipway/shared'
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { minimalSplice } from '../search/replace.ts'
import { AI_ORIGIN, AI_UNDO_ORIGIN, CheckpointWriter, FileRecordSchema, undoRecords } from './checkpoints.ts'
import type { FileRecord } from './checkpoints.ts'

type FileValue = Y.Text | Uint8Array

function project(files: Record<string, string>) {
  const doc = new Y.Doc()
  const map = doc.getMap<FileValue>(FILES_MAP)
  doc.transact(() => {
    for (const [path, text] of Object.entries(files)) map.set(path, new Y.Text(text))
  })
  return { doc, map, text: (path: string) => (map.get(path) as Y.Text | undefined)?.toString() }
}

/// Replaces `old` (which must occur once) with `next` in `path`, as the assistant's edit_file does.
function replace(w: CheckpointWriter, map: Y.Map<FileValue>, path: string, old: string, next: string) {
  const current = (map.get(path) as Y.Text).toString()
  const at = current.indexOf(old)
  if (at < 0 || current.indexOf(old, at + 1) >= 0) throw new Error(`${old} is not unique in ${path}`)
  const s = minimalSplice(at, old, next)!
  w.splice(path, s.at, s.remove, s.insert)
}

/// Applies edits in one transaction and returns the records, passed through JSON as they are when persisted.
function turn(doc: Y.Doc, map: Y.Map<FileValue>, edit: (w: CheckpointWriter) => void, records: FileRecord[] = []): FileRecord[] {
  const w = new CheckpointWriter(map, records)
  doc.transact(() => edit(w), AI_ORIGIN)
  return JSON.parse(JSON.stringify(w.result())).map((r: unknown) => FileRecordSchema.parse(r))
}

const SOURCE = ['import x from "x"', '', 'export function add(a, b) {', '  return a + b', '}', '', 'export const name = "calc"', ''].join('\n')

describe('undo of a turn', () => {
  test('restores edits, deletes created files and recreates deleted ones, exactly', () => {
    const { doc, map, text } = project({ 'src/calc.js': SOURCE, 'README.md': '# calc\n' })
    const records = turn(doc, map, (w) => {
      replace(w, map, 'src/calc.js', '  return a + b', '  // sum\n  return a + b + 0')
      replace(w, map, 'src/calc.js', '"calc"', '"calculator"')
      w.create('src/util.js', 'export const one = 1\n')
      w.delete('README.md')
    })
    expect(text('src/calc.js')).toContain('"calculator"')
    const origins: unknown[] = []
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin))
    const report = undoRecords(map, records)
    expect(report).toEqual({ restored: ['src/calc.js', 'src/util.js', 'README.md'], differs: [] })
    expect(text('src/calc.js')).toBe(SOURCE)
    expect(text('README.md')).toBe('# calc\n')
    expect(map.has('src/util.js')).toBe(false)
    expect(origins).toEqual([AI_UNDO_ORIGIN])
  })

  test('works on a new Y.Doc made from the encoded state (a reload)', () => {
    const { doc, map } = project({ 'a.ts': SOURCE })
    const records = turn(doc, map, (w) => replace(w, map, 'a.ts', 'a + b', 'b + a'))
    const reloaded = new Y.Doc()
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(doc))
    const map2 = reloaded.getMap<FileValue>(FILES_MAP)
    expect(undoRecords(map2, records).differs).toEqual([])
    expect(map2.get('a.ts')!.toString()).toBe(SOURCE)
  })

  test('works on a second doc the edits synced to, and the undo syncs back', () => {
    const one = project({ 'a.ts': SOURCE })
    const two = new Y.Doc()
    Y.applyUpdate(two, Y.encodeStateAsUpdate(one.doc))
    const records = turn(one.doc, one.map, (w) => replace(w, one.map, 'a.ts', 'export const name', 'export let name'))
    Y.applyUpdate(two, Y.encodeStateAsUpdate(one.doc, Y.encodeStateVector(two)))
    const map2 = two.getMap<FileValue>(FILES_MAP)
    expect(map2.get('a.ts')!.toString()).toContain('export let name')
    expect(undoRecords(map2, records).restored).toEqual(['a.ts'])
    expect(map2.get('a.ts')!.toString()).toBe(SOURCE)
    Y.applyUpdate(one.doc, Y.encodeStateAsUpdate(two, Y.encodeStateVector(one.doc)))
    expect(one.text('a.ts')).toBe(SOURCE)
  })

  test('a concurrent edit elsewhere in the file survives, on this doc and from another device', () => {
    const one = project({ 'a.ts': SOURCE })
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(one.doc))
    const records = turn(one.doc, one.map, (w) => replace(w, one.map, 'a.ts', '  return a + b', '  return Number(a) + Number(b)'))
    // Someone else, offline meanwhile, edits the first line; a local keystroke edits the last one.
    ;(other.getMap<FileValue>(FILES_MAP).get('a.ts') as Y.Text).insert(0, '// hello\n')
    Y.applyUpdate(one.doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(one.doc)))
    const t = one.map.get('a.ts') as Y.Text
    t.insert(t.length, '// bye\n')
    expect(undoRecords(one.map, records)).toEqual({ restored: ['a.ts'], differs: [] })
    expect(one.text('a.ts')).toBe(`// hello\n${SOURCE}// bye\n`)
  })

  test('lines the turn deleted at the end of a file come back before a line added after them since', () => {
    const { doc, map, text } = project({ 'a.ts': 'keep\ndrop 1\ndrop 2\n' })
    const records = turn(doc, map, (w) => w.splice('a.ts', 5, 14, ''))
    expect(text('a.ts')).toBe('keep\n')
    const t = map.get('a.ts') as Y.Text
    t.insert(t.length, 'added\n')
    expect(undoRecords(map, records).differs).toEqual([])
    expect(text('a.ts')).toBe('keep\ndrop 1\ndrop 2\nadded\n')
  })

  test('an edit inside the turn’s range is kept and reported; other ranges are restored', () => {
    const { doc, map, text } = project({ 'a.ts': SOURCE })
    const records = turn(doc, map, (w) => {
      replace(w, map, 'a.ts', 'import x from "x"', 'import y from "y"')
      replace(w, map, 'a.ts', '"calc"', '"calculator"')
    })
    const t = map.get('a.ts') as Y.Text
    t.insert(text('a.ts')!.indexOf('calculator') + 6, 'X')
    const report = undoRecords(map, records)
    expect(report.restored).toEqual([])
    expect(report.differs).toEqual([{ path: 'a.ts', reason: '1 of 2 changed places was edited since; kept as it is there' }])
    expect(text('a.ts')).toBe(SOURCE.replace('"calc"', '"calculXator"'))
  })

  test('a later edit of the same turn inside an earlier one (the model rewriting its own lines) undoes exactly', () => {
    const { doc, map, text } = project({ 'a.ts': SOURCE })
    const records = turn(doc, map, (w) => {
      replace(w, map, 'a.ts', '  return a + b', '  const sum = a + b\n  return sum')
      replace(w, map, 'a.ts', 'export function add(a, b) {\n  const sum = a + b\n  return sum\n}', 'export const add = (a, b) => a + b')
      replace(w, map, 'a.ts', 'import x from "x"\n\n', '')
    })
    expect(text('a.ts')).toBe('export const add = (a, b) => a + b\n\nexport const name = "calc"\n')
    expect(undoRecords(map, records).differs).toEqual([])
    expect(text('a.ts')).toBe(SOURCE)
  })

  test('edits recorded across several transactions (edits applied at once) merge into the turn’s records', () => {
    const { doc, map, text } = project({ 'a.ts': SOURCE })
    let records = turn(doc, map, (w) => replace(w, map, 'a.ts', 'a + b', 'a - b'))
    records = turn(doc, map, (w) => replace(w, map, 'a.ts', '  return a - b', '  return a - b - 1'), records)
    records = turn(doc, map, (w) => w.create('b.ts', 'one\n'), records)
    records = turn(doc, map, (w) => replace(w, map, 'b.ts', 'one', 'two'), records)
    expect(records.map((r) => r.kind)).toEqual(['edited', 'created'])
    expect(records[1]).toMatchObject({ after: 'two\n' })
    undoRecords(map, records)
    expect(text('a.ts')).toBe(SOURCE)
    expect(map.has('b.ts')).toBe(false)
  })

  test('a file edited then deleted by the turn comes back as it was before the turn', () => {
    const { doc, map, text } = project({ 'a.ts': SOURCE })
    const records = turn(doc, map, (w) => {
      replace(w, map, 'a.ts', 'a + b', 'a * b')
      w.delete('a.ts')
    })
    expect(records).toEqual([{ path: 'a.ts', kind: 'deleted', before: SOURCE }])
    undoRecords(map, records)
    expect(text('a.ts')).toBe(SOURCE)
  })

  test('a file deleted and made anew by the turn gets its old text back; created then deleted leaves no record', () => {
    const { doc, map, text } = project({ 'a.ts': 'old\n' })
    const records = turn(doc, map, (w) => {
      w.delete('a.ts')
      w.create('a.ts', 'new\n')
      w.create('tmp.ts', 'x')
      w.delete('tmp.ts')
    })
    expect(records).toEqual([{ path: 'a.ts', kind: 'replaced', before: 'old\n', after: 'new\n' }])
    undoRecords(map, records)
    expect(text('a.ts')).toBe('old\n')
  })

  test('a created file edited since is kept and reported; a deleted file made again by someone is kept', () => {
    const { doc, map, text } = project({ 'gone.ts': 'x' })
    const records = turn(doc, map, (w) => {
      w.create('new.ts', 'a\n')
      w.delete('gone.ts')
    })
    ;(map.get('new.ts') as Y.Text).insert(0, 'mine ')
    map.set('gone.ts', new Y.Text('someone else’s'))
    expect(undoRecords(map, records)).toEqual({
      restored: [],
      differs: [
        { path: 'new.ts', reason: 'it was edited since the turn created it; kept' },
        { path: 'gone.ts', reason: 'a file of that name exists again; kept' },
      ],
    })
    expect(text('new.ts')).toBe('mine a\n')
    expect(text('gone.ts')).toBe('someone else’s')
  })

  test('an edited file deleted since is reported', () => {
    const { doc, map } = project({ 'a.ts': SOURCE })
    const records = turn(doc, map, (w) => replace(w, map, 'a.ts', 'a + b', 'a - b'))
    map.delete('a.ts')
    expect(undoRecords(map, records).differs).toEqual([{ path: 'a.ts', reason: 'it was deleted since' }])
  })

  test('misuse throws with the values', () => {
    const { doc, map } = project({ 'a.ts': 'abc' })
    const w = new CheckpointWriter(map)
    expect(() => doc.transact(() => w.splice('a.ts', 2, 5, ''))).toThrow('Invalid splice 2+5 of a.ts (length 3)')
    expect(() => w.create('a.ts', '')).toThrow('a.ts already exists')
    expect(() => w.delete('nope.ts')).toThrow('nope.ts is not a text file of the project')
  })
})
