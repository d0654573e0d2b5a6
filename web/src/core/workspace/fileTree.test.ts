import { expect, test } from 'vitest'
import { buildTree, compareFilePaths, planMove } from './fileTree.ts'
import type { TreeNode } from './fileTree.ts'

const shape = (n: TreeNode): unknown => (n.kind === 'file' ? n.name : { [n.name || '/']: n.children.map(shape) })

test('builds nested folders, folders first, natural order', () => {
  const tree = buildTree(['b.txt', 'src/z.ts', 'src/a.ts', 'a.txt', 'src/lib/x10.ts', 'src/lib/x2.ts', 'README.md'], ['empty'])
  expect(shape(tree)).toEqual({
    '/': [{ empty: [] }, { src: [{ lib: ['x2.ts', 'x10.ts'] }, 'a.ts', 'z.ts'] }, 'a.txt', 'b.txt', 'README.md'],
  })
})

test('moving a folder moves everything under it and nothing else', () => {
  const moves = planMove(['src/a.ts', 'src/lib/b.ts', 'srcx/c.ts', 'd.ts'], 'src', 'app/src')
  expect([...moves]).toEqual([
    ['src/a.ts', 'app/src/a.ts'],
    ['src/lib/b.ts', 'app/src/lib/b.ts'],
  ])
  expect(() => planMove(['src/a.ts'], 'src', 'src/inner')).toThrow(RangeError)
})

test.each([
  // [paths as found, paths in the tree's order]
  [['src/mod10.ts', 'src/mod2.ts', 'src/mod1.ts'], ['src/mod1.ts', 'src/mod2.ts', 'src/mod10.ts']],
  [['index.ts', 'src/a.ts', 'README.md', 'lib/z.ts'], ['lib/z.ts', 'src/a.ts', 'index.ts', 'README.md']],
  [['src/z.ts', 'src/lib/a.ts', 'src.ts'], ['src/lib/a.ts', 'src/z.ts', 'src.ts']],
  [['B.ts', 'a.ts', 'b.ts'], ['a.ts', 'B.ts', 'b.ts']],
])('lists of files read in the tree order: %j', (paths, sorted) => {
  expect([...paths].sort(compareFilePaths)).toEqual(sorted)
  // The same order as the tree itself.
  const flat = (n: TreeNode): string[] => (n.kind === 'file' ? [n.path] : n.children.flatMap(flat))
  expect(flat(buildTree(paths))).toEqual(sorted)
})
