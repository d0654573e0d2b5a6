import { expect, test } from 'vitest'
import { dropIndex, neighbourTab, tabLabels } from './tabs.ts'

test('unique names have no description; duplicates get the shortest distinguishing folder suffix', () => {
  const labels = tabLabels(['src/a/index.ts', 'src/b/index.ts', 'README.md', 'lib/x/util.ts', 'test/x/util.ts', 'index.ts'])
  expect(labels.get('README.md')).toEqual({ name: 'README.md' })
  expect(labels.get('src/a/index.ts')).toEqual({ name: 'index.ts', description: '…/a' })
  expect(labels.get('src/b/index.ts')).toEqual({ name: 'index.ts', description: '…/b' })
  expect(labels.get('index.ts')).toEqual({ name: 'index.ts', description: '/' })
  expect(labels.get('lib/x/util.ts')).toEqual({ name: 'util.ts', description: 'lib/x' })
  expect(labels.get('test/x/util.ts')).toEqual({ name: 'util.ts', description: 'test/x' })
})

test('dropIndex accounts for the dragged tab leaving its place', () => {
  // tabs a b c d; drag a (0) after c (2) → [b c a d] → toIndex 2
  expect(dropIndex(0, 2, true)).toBe(2)
  // drag a before c → [b a c d] → 1
  expect(dropIndex(0, 2, false)).toBe(1)
  // drag d (3) before b (1) → [a d b c] → 1
  expect(dropIndex(3, 1, false)).toBe(1)
  // drag d after b → [a b d c] → 2
  expect(dropIndex(3, 1, true)).toBe(2)
  // onto itself: stays
  expect(dropIndex(2, 2, false)).toBe(2)
  expect(dropIndex(2, 2, true)).toBe(2)
})

test('neighbourTab wraps around', () => {
  const tabs = ['a', 'b', 'c']
  expect(neighbourTab(tabs, 'a', 1)).toBe('b')
  expect(neighbourTab(tabs, 'c', 1)).toBe('a')
  expect(neighbourTab(tabs, 'a', -1)).toBe('c')
  expect(neighbourTab(tabs, undefined, 1)).toBe('a')
  expect(neighbourTab([], 'a', 1)).toBeUndefined()
})
