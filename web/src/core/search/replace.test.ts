import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { searchText } from './search.ts'
import { applyReplacements, minimalSplice, planFileReplace, REPLACE_ORIGIN, spliceDelta } from './replace.ts'

const t = (offset: number, text: string, replacement: string) => ({ path: 'f', offset, text, replacement })

describe('minimalSplice', () => {
  test.each([
    ['foo', 'foo', undefined],
    ['foo', 'fooBar', { at: 13, remove: 0, insert: 'Bar' }],
    ['getName', 'getTitle', { at: 13, remove: 3, insert: 'Titl' }],
    ['abc', '', { at: 10, remove: 3, insert: '' }],
    ['x😀y', 'x😃y', { at: 11, remove: 2, insert: '😃' }],
  ])('%j → %j', (old, next, expected) => {
    expect(minimalSplice(10, old, next)).toEqual(expected)
  })
})

test('spliceDelta walks the text once, front to back', () => {
  expect(spliceDelta([{ at: 8, remove: 3, insert: 'x' }, { at: 2, remove: 0, insert: 'y' }, { at: 0, remove: 1, insert: '' }])).toEqual([
    { delete: 1 },
    { retain: 1 },
    { insert: 'y' },
    { retain: 6 },
    { delete: 3 },
    { insert: 'x' },
  ])
})

describe('planFileReplace', () => {
  test('replaces from the end so no offset shifts another', () => {
    const text = 'foo foo foo'
    const plan = planFileReplace(text, [t(0, 'foo', 'x'), t(8, 'foo', 'x'), t(4, 'foo', 'x')])
    expect(plan.splices.map((s) => s.at)).toEqual([8, 4, 0])
    expect(plan).toMatchObject({ replaced: 3, stale: 0 })
  })

  test('a match whose text is no longer at its offset is skipped, not replaced there', () => {
    // The file gained a line at the top after the search: every offset moved by 3.
    const now = '//\nfoo = foo'
    const plan = planFileReplace(now, [t(0, 'foo', 'bar'), t(6, 'foo', 'bar')])
    expect(plan).toMatchObject({ replaced: 0, stale: 2 })
    expect(plan.splices).toEqual([])
  })

  test('with a fresh search of a changed file, only matches it still finds are replaced, with fresh captures', () => {
    const before = 'let a = 1; let b = 2'
    const now = 'let q = 1; let b = 2'
    const hits = searchText([['f', before]], 'let (\\w)', { regex: true, replace: 'const $1' })
    const fresh = searchText([['f', now]], 'let (\\w)', { regex: true, replace: 'const $1' })
    const plan = planFileReplace(now, hits, fresh)
    // "let a" → its text at offset 0 is now "let q": stale. "let b" is still there.
    expect(plan).toMatchObject({ replaced: 1, stale: 1 })
    // Offset-and-text checks alone would accept a match a changed context no longer makes (here: whole word).
    const ww = planFileReplace('foo_bar', [t(0, 'foo', 'x')], searchText([['f', 'foo_bar']], 'foo', { wholeWord: true, replace: 'x' }))
    expect(ww).toMatchObject({ replaced: 0, stale: 1 })
  })

  test('overlapping targets keep the first; a target without a replacement is misuse', () => {
    expect(planFileReplace('aaaa', [t(0, 'aaa', 'b'), t(1, 'aaa', 'c')])).toMatchObject({ replaced: 1, stale: 1 })
    expect(() => planFileReplace('a', [{ path: 'f', offset: 0, text: 'a' }])).toThrow(/No replacement for the match at f:0/)
  })
})

describe('applyReplacements on a Y.Doc', () => {
  function project(files: Record<string, string | Uint8Array>) {
    const doc = new Y.Doc()
    const map = doc.getMap<unknown>('files')
    for (const [p, v] of Object.entries(files)) map.set(p, typeof v === 'string' ? new Y.Text(v) : v)
    const text = (p: string) => (map.get(p) as Y.Text).toString()
    return { doc, map, text }
  }

  test('minimal splices in one transaction with the replace origin; other text is untouched', () => {
    const { doc, map, text } = project({ 'a.ts': 'getName(); getName()', 'b.ts': 'x.getName', 'c.ts': 'untouched' })
    const hits = searchText(
      [...map.entries()].map(([p, v]) => [p, String(v)] as [string, string]),
      'getName',
      { replace: 'getTitle' },
    )
    const origins: unknown[] = []
    doc.on('afterTransaction', (tr) => origins.push(tr.origin))
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    const report = applyReplacements(map, hits)
    expect(report).toEqual({ replaced: 3, files: 2, stale: 0, staleFiles: [] })
    expect([text('a.ts'), text('b.ts'), text('c.ts')]).toEqual(['getTitle(); getTitle()', 'x.getTitle', 'untouched'])
    expect(origins).toEqual([REPLACE_ORIGIN])
    expect(updates).toHaveLength(1)
  })

  test('a concurrent edit elsewhere in the match line merges with the replacement', () => {
    const a = project({ 'f.ts': 'getName()' })
    const b = new Y.Doc()
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc))
    // Another device types inside the untouched prefix while we replace.
    b.transact(() => (b.getMap('files').get('f.ts') as Y.Text).insert(3, 'User'), 'remote')
    applyReplacements(a.map, searchText([['f.ts', a.text('f.ts')]], 'getName', { replace: 'getTitle' }))
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b))
    expect(a.text('f.ts')).toBe('getUserTitle()')
  })

  test('a file that changed since the search: stale matches are skipped and reported, valid ones replaced', () => {
    const { map, text } = project({ 'a.ts': 'foo\nfoo', 'b.ts': 'foo' })
    const searched = new Map([...map.entries()].map(([p, v]) => [p, String(v)]))
    const hits = searchText(searched, 'foo', { replace: 'bar' })
    // After the search, someone rewrote the first line of a.ts.
    ;(map.get('a.ts') as Y.Text).delete(0, 3)
    ;(map.get('a.ts') as Y.Text).insert(0, 'fo')
    const report = applyReplacements(map, hits, {
      searched: (p) => searched.get(p),
      recheck: (p, current) => searchText([[p, current]], 'foo', { replace: 'bar' }),
    })
    expect(report).toEqual({ replaced: 1, files: 1, stale: 2, staleFiles: ['a.ts'] })
    expect(text('a.ts')).toBe('fo\nfoo')
    expect(text('b.ts')).toBe('bar')
  })

  test('a file deleted or turned binary since the search changes nothing', () => {
    const { map } = project({ 'a.ts': 'foo' })
    const hits = searchText([['a.ts', 'foo'], ['gone.ts', 'foo']], 'foo', { replace: 'bar' })
    map.set('a.ts', new Uint8Array([1, 2]))
    expect(applyReplacements(map, hits)).toEqual({ replaced: 0, files: 0, stale: 2, staleFiles: ['a.ts', 'gone.ts'] })
  })
})
