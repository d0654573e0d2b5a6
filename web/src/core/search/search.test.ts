import { expect, test } from 'vitest'
import { quickOpen, searchText } from './search.ts'

const paths = ['src/App.tsx', 'src/app.css', 'src/components/AppHeader.tsx', 'package.json', 'src/main.tsx', 'README.md']

test('quick open ranks file-name matches and word starts first', () => {
  expect(quickOpen(paths, 'app')[0]!.path).toMatch(/^src\/[Aa]pp\./)
  expect(quickOpen(paths, 'ah').map((m) => m.path)[0]).toBe('src/components/AppHeader.tsx')
  expect(quickOpen(paths, 'pkg').map((m) => m.path)).toEqual(['package.json'])
  expect(quickOpen(paths, 'zzz')).toEqual([])
  expect(quickOpen(paths, '')).toHaveLength(paths.length)
})

test('text search: lines and columns, case, whole word, regex, limit', () => {
  const files: Array<[string, string]> = [
    ['a.ts', 'const foo = 1\nfoo(foo)\nFood'],
    ['b.ts', 'nothing here'],
  ]
  expect(searchText(files, 'foo').map((h) => `${h.path}:${h.line}:${h.column}`)).toEqual(['a.ts:1:7', 'a.ts:2:1', 'a.ts:2:5', 'a.ts:3:1'])
  expect(searchText(files, 'Foo', { caseSensitive: true })).toHaveLength(1)
  expect(searchText(files, 'foo', { wholeWord: true })).toHaveLength(3)
  expect(searchText(files, 'f.o\\(', { regex: true })).toHaveLength(1)
  expect(searchText(files, 'foo', { limit: 2 })).toHaveLength(2)
  expect(() => searchText(files, '(', { regex: true })).toThrow(SyntaxError)
})
