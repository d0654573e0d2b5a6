import { expect, test } from 'vitest'
import { buildTree } from '../../core/workspace/fileTree.ts'
import { treeKey } from './treeKeys.ts'
import { visibleRows } from './treeRows.ts'

const tree = buildTree(['src/a.ts', 'src/b.ts', 'src/lib/x.ts', 'README.md', 'package.json'])
const rows = (expanded: string[] = ['src']) => visibleRows({ tree, expanded: new Set(expanded) })
// Visible with src expanded: src, src/lib, src/a.ts, src/b.ts, package.json, README.md

test.each([
  // [focused, key, expected]
  [undefined, 'ArrowDown', { type: 'focus', path: 'src' }],
  ['src', 'ArrowDown', { type: 'focus', path: 'src/lib' }],
  ['README.md', 'ArrowDown', { type: 'none' }],
  ['src/a.ts', 'ArrowUp', { type: 'focus', path: 'src/lib' }],
  ['src', 'ArrowUp', { type: 'none' }],
  ['src/b.ts', 'Home', { type: 'focus', path: 'src' }],
  ['src', 'End', { type: 'focus', path: 'README.md' }],
  ['src', 'PageDown', { type: 'focus', path: 'README.md' }],
  ['src', 'ArrowRight', { type: 'focus', path: 'src/lib' }],
  ['src/lib', 'ArrowRight', { type: 'expand', path: 'src/lib' }],
  ['src/a.ts', 'ArrowRight', { type: 'none' }],
  ['src', 'ArrowLeft', { type: 'collapse', path: 'src' }],
  ['src/a.ts', 'ArrowLeft', { type: 'focus', path: 'src' }],
  ['src/lib', 'ArrowLeft', { type: 'focus', path: 'src' }],
  ['README.md', 'ArrowLeft', { type: 'none' }],
  ['src/a.ts', 'Enter', { type: 'open', path: 'src/a.ts' }],
  ['src', 'Enter', { type: 'toggle', path: 'src' }],
  ['src/lib', ' ', { type: 'toggle', path: 'src/lib' }],
  ['src/a.ts', 'F2', { type: 'rename', path: 'src/a.ts' }],
  ['src', 'Delete', { type: 'delete', path: 'src' }],
  ['src', 'ContextMenu', { type: 'menu', path: 'src' }],
  ['src', 'p', { type: 'focus', path: 'package.json' }],
  ['package.json', 'r', { type: 'focus', path: 'README.md' }],
  ['README.md', 's', { type: 'focus', path: 'src' }],
  ['src', 'z', { type: 'none' }],
] as const)('%s + %s', (focused, key, expected) => {
  expect(treeKey(rows(), focused, { key })).toEqual(expected)
})

test('Shift+F10 opens the menu; F10 alone and Ctrl+letters do nothing', () => {
  expect(treeKey(rows(), 'src', { key: 'F10', shiftKey: true })).toEqual({ type: 'menu', path: 'src' })
  expect(treeKey(rows(), 'src', { key: 'F10' })).toEqual({ type: 'none' })
  expect(treeKey(rows(), 'src', { key: 'p', ctrlKey: true })).toEqual({ type: 'none' })
  expect(treeKey(rows(), 'src', { key: 'Backspace', metaKey: true })).toEqual({ type: 'delete', path: 'src' })
})

test('read-only rows (node_modules) can be browsed, not opened, renamed or deleted', () => {
  const r = visibleRows({
    tree,
    expanded: new Set(),
    runtime: { rootDirs: ['node_modules'], listings: new Map([['node_modules', [{ name: 'x.js', kind: 'file' }]]]), expanded: new Set(['node_modules']) },
  })
  expect(treeKey(r, 'node_modules/x.js', { key: 'Enter' })).toEqual({ type: 'none' })
  expect(treeKey(r, 'node_modules/x.js', { key: 'F2' })).toEqual({ type: 'none' })
  expect(treeKey(r, 'node_modules/x.js', { key: 'Delete' })).toEqual({ type: 'none' })
  expect(treeKey(r, 'node_modules/x.js', { key: 'ArrowLeft' })).toEqual({ type: 'focus', path: 'node_modules' })
  expect(treeKey(r, 'node_modules', { key: 'Enter' })).toEqual({ type: 'toggle', path: 'node_modules' })
})

test('no rows, no action', () => {
  expect(treeKey([], undefined, { key: 'ArrowDown' })).toEqual({ type: 'none' })
})
