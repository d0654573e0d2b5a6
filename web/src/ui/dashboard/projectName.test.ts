import { expect, test } from 'vitest'
import { decideRename, renameFailure } from './projectName.ts'

test.each([
  ['New name', 'Old', { kind: 'rename', name: 'New name' }],
  ['  padded  ', 'Old', { kind: 'rename', name: 'padded' }],
  ['Old', 'Old', { kind: 'unchanged' }],
  [' Old ', 'Old', { kind: 'unchanged' }],
  ['', 'Old', { kind: 'invalid', error: 'A project needs a name.' }],
  ['   ', 'Old', { kind: 'invalid', error: 'A project needs a name.' }],
  ['x'.repeat(101), 'Old', { kind: 'invalid', error: 'Names are at most 100 characters.' }],
  ['x'.repeat(100), 'Old', { kind: 'rename', name: 'x'.repeat(100) }],
])('%j (was %j) → %j', (draft, current, decision) => {
  expect(decideRename(draft, current)).toEqual(decision)
})

test('failures say what happened and what to do', () => {
  expect(renameFailure({ kind: 'network', message: 'fetch failed' })).toMatch(/cannot be reached.*unchanged/)
  expect(renameFailure({ kind: 'not_found', message: 'project not found' })).toBe('Could not rename: project not found')
})
