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

test('every badge reads at 4.5:1 on every background of both schemes, and keeps its hue', async () => {
  const { contrast, parseHex } = await import('./contrast.ts')
  const { allFileIcons, badgeColors, iconBackgrounds, BADGE_CONTRAST } = await import('./fileIcons.ts')
  const failures: string[] = []
  for (const icon of allFileIcons().filter((i) => i.badge)) {
    const colors = badgeColors(icon)
    for (const scheme of ['light', 'dark'] as const) {
      for (const bg of iconBackgrounds(scheme)) {
        const ratio = contrast(parseHex(colors[scheme]), parseHex(bg))
        if (ratio < BADGE_CONTRAST) failures.push(`${icon.badge} ${colors[scheme]} on ${bg} (${scheme}): ${ratio.toFixed(2)}`)
      }
    }
  }
  expect(failures).toEqual([])
  // A colour that already reads is left alone; one that does not is shaded, not replaced.
  expect(badgeColors({ badge: 'X', color: '#303030' }).light).toBe('#303030')
  expect(badgeColors({ badge: 'git', color: '#e8572f' }).light).not.toBe('#e8572f')
})
