import { expect, test } from 'vitest'
import { hitView, isSearchable, replaceAllQuestion, replacementPreview, replaceReport, searchWorkspace, summary } from './searchResults.ts'

const files: Array<[string, string]> = [
  ['src/a.ts', 'const foo = 1\n    foo(foo)\n'],
  ['src/b.ts', 'nothing here\n'],
  ['README.md', '# Foo\r\nfoo bar\r\n'],
]

test('groups hits by file in file order with previews split around the match', () => {
  const r = searchWorkspace(files, 'foo', { limit: 100 })
  if (!r.ok) throw new Error(r.error)
  expect(r.total).toBe(5)
  expect(r.truncated).toBe(false)
  expect(r.groups.map((g) => [g.path, g.hits.length])).toEqual([
    ['src/a.ts', 3],
    ['README.md', 2],
  ])
  expect(r.groups[0]!.hits[1]).toEqual({ path: 'src/a.ts', line: 2, column: 5, length: 3, before: '', match: 'foo', after: '(foo)', offset: 18, text: 'foo' })
  expect(r.groups[0]!.hits[2]).toMatchObject({ column: 9, before: 'foo(', match: 'foo', after: ')' })
  // CRLF files: the \r is not part of the preview.
  expect(r.groups[1]!.hits[0]).toMatchObject({ line: 1, before: '# ', match: 'Foo', after: '' })
})

test('files come in the tree order, whatever order they are given in (mod2 before mod10, folders first)', () => {
  const r = searchWorkspace([['z.ts', 'x'], ['src/mod10.ts', 'x'], ['src/mod2.ts', 'x']], 'x', { limit: 100 })
  if (!r.ok) throw new Error(r.error)
  expect(r.groups.map((g) => g.path)).toEqual(['src/mod2.ts', 'src/mod10.ts', 'z.ts'])
})

test('options pass through: case, whole word, regex; limit marks the result truncated', () => {
  const cs = searchWorkspace(files, 'Foo', { caseSensitive: true, limit: 100 })
  expect(cs.ok && cs.total).toBe(1)
  const ww = searchWorkspace([['x', 'foo food foo_bar foo']], 'foo', { wholeWord: true, limit: 100 })
  expect(ww.ok && ww.groups[0]!.hits.map((h) => h.column)).toEqual([1, 18])
  const re = searchWorkspace(files, 'fo+\\(', { regex: true, limit: 100 })
  expect(re.ok && re.total).toBe(1)
  const lim = searchWorkspace(files, 'foo', { limit: 2 })
  expect(lim.ok && [lim.total, lim.truncated]).toEqual([2, true])
})

test('an invalid regular expression is an error, not a throw', () => {
  const r = searchWorkspace(files, 'a(b', { regex: true, limit: 10 })
  expect(r.ok).toBe(false)
  expect(!r.ok && r.error).toMatch(/Invalid regular expression/)
})

test('long lines: the preview keeps some context before the match and cuts the rest', () => {
  const line = 'x'.repeat(100) + 'NEEDLE' + 'y'.repeat(300)
  const v = hitView({ path: 'p', line: 1, column: 101, length: 6, preview: '', offset: 100, text: 'NEEDLE' }, line)
  expect(v.before.startsWith('…')).toBe(true)
  expect(v.before).toBe('…' + 'x'.repeat(16))
  expect(v.match).toBe('NEEDLE')
  expect(v.after.length).toBe(160)
  // With a replacement the row shows old and new: less context before, so both stay in view.
  const r = hitView({ path: 'p', line: 1, column: 101, length: 6, preview: '', offset: 100, text: 'NEEDLE', replacement: 'PIN' }, line)
  expect(r.before).toBe('…' + 'x'.repeat(8))
  expect(r.replacement).toBe('PIN')
  expect(hitView({ path: 'p', line: 1, column: 15, length: 1, preview: '', offset: 14, text: 'x', replacement: 'y' }, 'const value = x').before).toBe('…value = ')
})

test('summary', () => {
  expect(summary(0, 0, false)).toBe('No results')
  expect(summary(1, 1, false)).toBe('1 result in 1 file')
  expect(summary(5, 2, false)).toBe('5 results in 2 files')
  expect(summary(20000, 12, true)).toBe('Stopped at 20,000 results in 12 files; narrow the search to see the rest')

})

test('with a replacement, each hit says what it becomes; the outcome keeps the texts searched', () => {
  const r = searchWorkspace(files, '(f)oo', { regex: true, replace: '$1ee', limit: 100 })
  if (!r.ok) throw new Error(r.error)
  expect(r.groups[0]!.hits.map((h) => h.replacement)).toEqual(['fee', 'fee', 'fee'])
  expect(r.texts.get('src/b.ts')).toBe('nothing here\n')
})

test('Replace All question and report', () => {
  expect(replaceAllQuestion(12, 4, 'x')).toBe("Replace 12 occurrences across 4 files with 'x'?")
  expect(replaceAllQuestion(1, 1, '')).toBe('Replace 1 occurrence across 1 file with nothing?')
  expect(replaceAllQuestion(1200, 1, 'a\nb')).toBe("Replace 1,200 occurrences across 1 file with 'a↵b'?")
  expect(replaceAllQuestion(2, 1, 'y'.repeat(50))).toBe(`Replace 2 occurrences across 1 file with '${'y'.repeat(40)}…'?`)
  expect(replacementPreview('a\tb\r\nc')).toBe('a→b↵c')
  expect(replaceReport({ replaced: 12, files: 4, stale: 0, staleFiles: [] })).toBe('Replaced 12 occurrences in 4 files.')
  expect(replaceReport({ replaced: 1, files: 1, stale: 2, staleFiles: ['src/a.ts'] })).toBe(
    'Replaced 1 occurrence in 1 file. 2 matches in src/a.ts changed since the search and were left as they are; the results are up to date now.',
  )
  expect(replaceReport({ replaced: 0, files: 0, stale: 1, staleFiles: ['a', 'b'] })).toMatch(/^1 match in 2 files changed since the search and was left as it is/)
  expect(replaceReport({ replaced: 0, files: 0, stale: 0, staleFiles: [] })).toBe('Nothing to replace.')
})

test('never-synced folders and binary-looking texts are not searched', () => {
  expect(isSearchable('src/a.ts', 'x')).toBe(true)
  expect(isSearchable('node_modules/x/index.js', 'x')).toBe(false)
  expect(isSearchable('web/dist/app.js', 'x')).toBe(false)
  expect(isSearchable('img.dat', 'GIF89a\0\0')).toBe(false)
})
