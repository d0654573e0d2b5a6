import { describe, expect, test } from 'vitest'
import { compileQuery, expandReplacement, quickOpen, searchText } from './search.ts'

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

test('hits carry their offset in the file and the text they matched', () => {
  const text = 'ab\r\nfoo foo\n\nxfoo'
  const hits = searchText([['f', text]], 'foo')
  expect(hits.map((h) => [h.line, h.column, h.offset, h.text])).toEqual([
    [2, 1, 4, 'foo'],
    [2, 5, 8, 'foo'],
    [4, 2, 14, 'foo'],
  ])
  for (const h of hits) expect(text.slice(h.offset, h.offset + h.length)).toBe(h.text)
})

test('a path filter skips files; a replacement is computed per hit', () => {
  const files: Array<[string, string]> = [
    ['src/a.ts', 'let x = 1'],
    ['test/a.ts', 'let x = 2'],
  ]
  expect(searchText(files, 'x', { filter: (p) => p.startsWith('src/') }).map((h) => h.path)).toEqual(['src/a.ts'])
  expect(searchText(files, 'let (\\w)', { regex: true, replace: 'const $1' }).map((h) => h.replacement)).toEqual(['const x', 'const x'])
  // Without regex the replacement is literal.
  expect(searchText(files, 'x', { replace: '$&$1' })[0]!.replacement).toBe('$&$1')
})

describe('regex replacement: String.prototype.replace semantics', () => {
  test.each([
    // [line, query, template, expected line after replacing every match]
    ['foo bar', '(\\w+) (\\w+)', '$2 $1', 'bar foo'],
    ['foo', 'o', '[$&]', 'f[o][o]'],
    ['price 5', '\\d', '$$$&', 'price $5'],
    ['a-b', '-', "<$`|$'>", 'a<a|b>b'],
    ['2024-05-06', '(?<y>\\d+)-(?<m>\\d+)-(?<d>\\d+)', '$<d>/$<m>/$<y>', '06/05/2024'],
    ['x', '(x)', '$0 $2 $10', '$0 $2 x0'],
    ['abcdefghijk', '(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)', '$11$10$1', 'kja'],
    ['x', '(x)', '$01', 'x'],
    ['x', '(x)', '$<name>', '$<name>'],
    ['x', '(?<n>x)', '$<missing>!', '!'],
    ['x', '(?<n>x)', '$<n', '$<n'],
    ['x', 'x', 'trailing $', 'trailing $'],
    ['a,b', ',', '\\n', 'a\nb'],
    ['a,b', ',', '\\t|\\\\|\\x', 'a\t|\\|\\xb'],
    ['color colour', 'colou?r', 'hue', 'hue hue'],
  ])('%j /%s/ → %j', (line, query, template, expected) => {
    const hits = searchText([['f', line]], query, { regex: true, caseSensitive: true, replace: template })
    let out = line
    for (const h of [...hits].reverse()) out = out.slice(0, h.offset) + h.replacement! + out.slice(h.offset + h.length)
    expect(out).toBe(expected)
    // Same as the engine's own replace, for templates without VS Code's backslash escapes.
    if (!template.includes('\\')) expect(out).toBe(line.replace(new RegExp(query, 'g'), template))
  })

  test('expandReplacement on a bare exec result', () => {
    const m = /(b)/.exec('abc')!
    expect(expandReplacement(m, 'abc', '[$1]')).toBe('[b]')
  })
})

test('compileQuery escapes plain text and reports invalid regular expressions', () => {
  expect(compileQuery('a.b(').test('a.b(')).toBe(true)
  expect(() => compileQuery('a(', { regex: true })).toThrow(/Invalid regular expression/)
})
