import { expect, test } from 'vitest'
import { buildTree } from '../../core/workspace/fileTree.ts'
import { createTarget, dropFolder, planDrop, renameSelection, renameTarget, visibleRows, type Row, type RuntimeEntry } from './treeRows.ts'

const tree = buildTree(['src/b.ts', 'src/a.ts', 'src/lib/x.ts', 'README.md', 'package.json'], ['empty'])
const show = (rows: Row[]) => rows.map((r) => `${'  '.repeat(r.depth)}${r.type === 'draft' ? `<new ${r.kind}>` : r.kind === 'folder' ? `${r.name}/${r.expanded ? '' : '+'}` : r.name}${r.type === 'node' && r.readonly ? ' (ro)' : ''}`)

test('collapsed folders hide their children; folders come first', () => {
  expect(show(visibleRows({ tree, expanded: new Set() }))).toEqual(['empty/+', 'src/+', 'package.json', 'README.md'])
})

test('expanded folders list their children, nested', () => {
  expect(show(visibleRows({ tree, expanded: new Set(['src', 'src/lib']) }))).toEqual([
    'empty/+',
    'src/',
    '  lib/',
    '    x.ts',
    '  a.ts',
    '  b.ts',
    'package.json',
    'README.md',
  ])
  // An expanded folder inside a collapsed one stays hidden.
  expect(show(visibleRows({ tree, expanded: new Set(['src/lib']) }))).toEqual(['empty/+', 'src/+', 'package.json', 'README.md'])
})

test('rows carry depth and parent for keyboard navigation', () => {
  const rows = visibleRows({ tree, expanded: new Set(['src']) })
  const a = rows.find((r) => r.path === 'src/a.ts')
  expect(a).toMatchObject({ type: 'node', depth: 1, parent: 'src', kind: 'file', readonly: false })
})

test('a draft row sits at the top of its folder, also in a collapsed or empty folder and at the root', () => {
  expect(show(visibleRows({ tree, expanded: new Set(['src']), draft: { kind: 'file', parent: 'src' } })).slice(1, 3)).toEqual(['src/', '  <new file>'])
  expect(show(visibleRows({ tree, expanded: new Set(), draft: { kind: 'folder', parent: 'empty' } })).slice(0, 2)).toEqual(['empty/+', '  <new folder>'])
  expect(show(visibleRows({ tree, expanded: new Set(), draft: { kind: 'file', parent: '' } }))[0]).toBe('<new file>')
})

test('runtime-only folders appear among the root folders, read-only, listed once expanded', () => {
  const listings = new Map<string, readonly RuntimeEntry[] | undefined>([
    ['node_modules', [
      { name: 'react', kind: 'directory' },
      { name: '.package-lock.json', kind: 'file' },
      { name: '@types', kind: 'directory' },
    ]],
    ['node_modules/react', [{ name: 'index.js', kind: 'file' }]],
    ['node_modules/@types', undefined],
  ])
  const collapsed = visibleRows({ tree, expanded: new Set(), runtime: { rootDirs: ['node_modules', 'src'], listings, expanded: new Set() } })
  expect(show(collapsed)).toEqual(['empty/+', 'node_modules/+ (ro)', 'src/+', 'package.json', 'README.md'])
  const open = visibleRows({
    tree,
    expanded: new Set(),
    runtime: { rootDirs: ['node_modules'], listings, expanded: new Set(['node_modules', 'node_modules/react', 'node_modules/@types']) },
  })
  expect(show(open)).toEqual([
    'empty/+',
    'node_modules/ (ro)',
    '  @types/ (ro)',
    '  react/ (ro)',
    '    index.js (ro)',
    '  .package-lock.json (ro)',
    'src/+',
    'package.json',
    'README.md',
  ])
  expect(open.find((r) => r.path === 'node_modules/@types')).toMatchObject({ loading: true })
})

test('drops land in the folder, or in a file’s folder; moves into itself or in place are refused', () => {
  expect(dropFolder({ kind: 'folder', path: 'src/lib', parent: 'src' })).toBe('src/lib')
  expect(dropFolder({ kind: 'file', path: 'src/a.ts', parent: 'src' })).toBe('src')
  expect(dropFolder(undefined)).toBe('')
  expect(planDrop('README.md', 'src')).toBe('src/README.md')
  expect(planDrop('src/a.ts', '')).toBe('a.ts')
  expect(planDrop('src/a.ts', 'src')).toBeUndefined()
  expect(planDrop('src', 'src/lib')).toBeUndefined()
  expect(planDrop('src', 'src')).toBeUndefined()
  expect(planDrop('src/lib', '')).toBe('lib')
})

test('rename and create targets', () => {
  expect(renameTarget('src/a.ts', ' b.ts ')).toEqual({ ok: true, path: 'src/b.ts' })
  expect(renameTarget('src/a.ts', 'lib/a.ts')).toEqual({ ok: true, path: 'src/lib/a.ts' })
  expect(renameTarget('a.ts', '  ')).toMatchObject({ ok: false })
  expect(createTarget('src', 'lib/new.ts')).toEqual({ ok: true, path: 'src/lib/new.ts' })
  expect(createTarget('', '/top.ts/')).toEqual({ ok: true, path: 'top.ts' })
  expect(createTarget('src', '')).toMatchObject({ ok: false })
  expect(renameSelection('index.test.ts')).toEqual([0, 10])
  expect(renameSelection('.gitignore')).toEqual([0, 10])
  expect(renameSelection('Makefile')).toEqual([0, 8])
})
