import { expect, test } from 'vitest'
import { fileIconFor, folderIcon } from './fileIcons.ts'

test.each([
  ['src/index.ts', 'TS'],
  ['src/App.tsx', 'TSX'],
  ['main.js', 'JS'],
  ['a/b/c.JSX', 'JSX'],
  ['package.json', 'npm'],
  ['tsconfig.json', 'TS'],
  ['data.json', '{}'],
  ['styles/app.css', '#'],
  ['index.html', '<>'],
  ['README.md', 'M↓'],
  ['.github/ci.yml', 'YML'],
  ['src/vite-env.d.ts', 'TS'],
  ['src/a.test.ts', 'T'],
  ['.gitignore', 'git'],
  ['Dockerfile', 'DKR'],
])('%s → badge %s', (path, badge) => {
  expect(fileIconFor(path).badge).toBe(badge)
})

test.each([
  ['logo.svg', 'image'],
  ['public/favicon.ico', 'image'],
  ['package-lock.json', 'lock'],
  ['pnpm-lock.yaml', 'lock'],
  ['Makefile', 'file'],
  ['noext', 'file'],
  ['weird.zzz', 'file'],
])('%s → glyph %s', (path, glyph) => {
  expect(fileIconFor(path)).toMatchObject({ glyph })
  expect(fileIconFor(path).badge).toBeUndefined()
})

test('badges fit a 16px icon and folders have open/closed glyphs', () => {
  for (const p of ['a.ts', 'a.tsx', 'a.yaml', 'package.json', 'a.cpp', 'a.graphql']) expect(fileIconFor(p).badge!.length).toBeLessThanOrEqual(3)
  expect(folderIcon(true).glyph).toBe('folder-open')
  expect(folderIcon(false).glyph).toBe('folder')
})
