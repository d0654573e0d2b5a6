import { describe, expect, test } from 'vitest'
import { expandGlob, globFilter, splitGlobs } from './globs.ts'

const paths = [
  'index.ts',
  'README.md',
  'src/a.ts',
  'src/a.test.ts',
  'src/deep/b.ts',
  'src/deep/b.test.ts',
  'src/style.css',
  'lib/src/c.ts',
  'docs/guide.md',
  '.github/workflows/ci.yml',
]

function pick(include: string, exclude = '') {
  const r = globFilter(include, exclude)
  if (!r.ok) throw new Error(r.error)
  return paths.filter(r.filter)
}

describe('include and exclude, VS Code semantics', () => {
  test.each([
    ['', '', paths],
    ['src/**', '', ['src/a.ts', 'src/a.test.ts', 'src/deep/b.ts', 'src/deep/b.test.ts', 'src/style.css']],
    // A bare folder name is that folder at any depth, with everything under it.
    ['src', '', ['src/a.ts', 'src/a.test.ts', 'src/deep/b.ts', 'src/deep/b.test.ts', 'src/style.css', 'lib/src/c.ts']],
    ['./src', '', ['src/a.ts', 'src/a.test.ts', 'src/deep/b.ts', 'src/deep/b.test.ts', 'src/style.css']],
    ['src/', '', ['src/a.ts', 'src/a.test.ts', 'src/deep/b.ts', 'src/deep/b.test.ts', 'src/style.css', 'lib/src/c.ts']],
    ['*.ts', '', ['index.ts', 'src/a.ts', 'src/a.test.ts', 'src/deep/b.ts', 'src/deep/b.test.ts', 'lib/src/c.ts']],
    ['**/*.test.ts', '', ['src/a.test.ts', 'src/deep/b.test.ts']],
    ['src/*.ts', '', ['src/a.ts', 'src/a.test.ts']],
    ['*.md, *.css', '', ['README.md', 'src/style.css', 'docs/guide.md']],
    ['*.{md,css}', '', ['README.md', 'src/style.css', 'docs/guide.md']],
    ['*.yml', '', ['.github/workflows/ci.yml']],
    ['*.ts', '**/*.test.ts', ['index.ts', 'src/a.ts', 'src/deep/b.ts', 'lib/src/c.ts']],
    ['', 'src, docs', ['index.ts', 'README.md', '.github/workflows/ci.yml']],
    ['src/**', 'deep', ['src/a.ts', 'src/a.test.ts', 'src/style.css']],
    [' , ', ' ', paths],
  ])('include %j exclude %j', (include, exclude, expected) => {
    expect(pick(include, exclude)).toEqual(expected)
  })

  test('active only when a field holds a pattern', () => {
    expect(globFilter('', ' , ').ok && globFilter('', ' , ')).toMatchObject({ active: false })
    expect(globFilter('src', '')).toMatchObject({ ok: true, active: true })
  })

  test('overlong input is a clear error', () => {
    expect(globFilter('a,'.repeat(3000), '')).toMatchObject({ ok: false, error: expect.stringMatching(/limited to 4096/) })
  })
})

test('splitGlobs keeps commas inside braces', () => {
  expect(splitGlobs('a, {b,c}/*.ts ,,d')).toEqual(['a', '{b,c}/*.ts', 'd'])
  expect(splitGlobs('')).toEqual([])
})

test('expandGlob', () => {
  expect(expandGlob('src')).toEqual(['**/src', '**/src/**'])
  expect(expandGlob('src/**')).toEqual(['src/**'])
  expect(expandGlob('/src/')).toEqual(['src', 'src/**'])
  expect(expandGlob('**/*.ts')).toEqual(['**/*.ts', '**/*.ts/**'])
  expect(expandGlob('./')).toEqual([])
})
