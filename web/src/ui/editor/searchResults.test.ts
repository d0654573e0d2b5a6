import { expect, test } from 'vitest'
import { hitView, searchWorkspace, summary } from './searchResults.ts'

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
  expect(r.groups[0]!.hits[1]).toEqual({ path: 'src/a.ts', line: 2, column: 5, length: 3, before: '', match: 'foo', after: '(foo)' })
  expect(r.groups[0]!.hits[2]).toMatchObject({ column: 9, before: 'foo(', match: 'foo', after: ')' })
  // CRLF files: the \r is not part of the preview.
  expect(r.groups[1]!.hits[0]).toMatchObject({ line: 1, before: '# ', match: 'Foo', after: '' })
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
})

test('summary', () => {
  expect(summary(0, 0, false)).toBe('No results')
  expect(summary(1, 1, false)).toBe('1 result in 1 file')
  expect(summary(5, 2, false)).toBe('5 results in 2 files')
  expect(summary(2000, 12, true)).toBe('More than 2000 results in 12 files')
})
