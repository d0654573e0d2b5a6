import { expect, test } from 'vitest'
import { applySplice, textSplice } from './textDiff.ts'

test.each([
  ['', ''],
  ['', 'abc'],
  ['abc', ''],
  ['hello world', 'hello brave world'],
  ['aaaa', 'aa'],
  ['abcabc', 'abc'],
  ['line1\nline2\n', 'line1\nline2 changed\n'],
  ['x😀y', 'x😁y'],
  ['😀', '😀😀'],
  ['same', 'same'],
])('%j → %j', (before, after) => {
  const s = textSplice(before, after)
  if (before === after) return expect(s).toBeUndefined()
  expect(applySplice(before, s!)).toBe(after)
  // The splice is minimal around the change: unchanged prefix and suffix are kept.
  expect(s!.remove + s!.insert.length).toBeLessThanOrEqual(before.length + after.length)
})

test('an edit in the middle of a big file is a small splice', () => {
  const before = 'a'.repeat(10_000) + 'OLD' + 'b'.repeat(10_000)
  const after = 'a'.repeat(10_000) + 'NEW!' + 'b'.repeat(10_000)
  expect(textSplice(before, after)).toEqual({ index: 10_000, remove: 3, insert: 'NEW!' })
})
