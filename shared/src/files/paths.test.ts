import { expect, test } from 'vitest'
import { checkProjectPath, isIgnoredPath } from './paths.ts'

test.each([
  'index.js',
  'src/App.tsx',
  'a/b/c/d.txt',
  '.gitignore',
  '.env-example.md',
  'docs/über straße.md',
  'my dist/x.js',
  'src/build.ts',
  'x'.repeat(512),
])('accepts %s', (p) => {
  expect(checkProjectPath(p)).toEqual({ ok: true })
})

test.each([
  ['', 'empty'],
  ['/etc/passwd', 'absolute'],
  ['C:/x', 'absolute'],
  ['../x', 'dot_segment'],
  ['a/../../x', 'dot_segment'],
  ['./a', 'dot_segment'],
  ['a//b', 'empty_segment'],
  ['a/', 'empty_segment'],
  ['a\\b', 'backslash'],
  ['a\u0000b', 'control_char'],
  ['a\nb', 'control_char'],
  ['x'.repeat(513), 'too_long'],
  ['é'.repeat(257), 'too_long'],
  ['node_modules/react/index.js', 'ignored'],
  ['packages/a/node_modules/x.js', 'ignored'],
  ['.git/HEAD', 'ignored'],
  ['dist/index.html', 'ignored'],
  ['build/x', 'ignored'],
  ['.next/x', 'ignored'],
  ['.env', 'ignored'],
  ['server/.env.local', 'ignored'],
])('rejects %j as %s', (p, problem) => {
  const r = checkProjectPath(p)
  expect(r.ok).toBe(false)
  if (!r.ok) expect(r.problem).toBe(problem)
})

test('a per-project ignore list adds prefixes', () => {
  expect(isIgnoredPath('coverage/index.html', ['coverage'])).toBe(true)
  expect(isIgnoredPath('coverage2/index.html', ['coverage'])).toBe(false)
  expect(isIgnoredPath('coverage', ['coverage/'])).toBe(false)
})
